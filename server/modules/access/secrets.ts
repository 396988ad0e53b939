import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new secret for a cookie, an API token or a set-up link: 32 random bytes, URL-safe. `prefix`
 * makes a leaked token recognisable (secret scanners look for such prefixes).
 */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * How a high-entropy secret is stored: its SHA-256. A slow hash would add nothing for 256 random
 * bits and would cost a key-derivation on every API request.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function equalSecrets(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
