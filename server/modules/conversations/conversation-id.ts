import { createHash } from 'node:crypto';

/** Orders strings by Unicode code point, as the original (Python) service's sorted() did. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The two participants in canonical order. */
export function sortParticipants(a: string, b: string): [string, string] {
  return compareCodePoints(a, b) <= 0 ? [a, b] : [b, a];
}

/**
 * The conversation id of two participants, exactly as the original service computed it so that
 * existing data keeps its ids: sort, concatenate with no separator, SHA-256 the UTF-8 bytes, and
 * format the first 32 hex digits as a UUID. (It is not an RFC 4122 UUID: no version bits are set.)
 */
export function conversationId(a: string, b: string): string {
  const [x, y] = sortParticipants(a, b);
  const hex = createHash('sha256').update(x + y, 'utf8').digest('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
