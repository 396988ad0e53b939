import { isPhoneNumber } from '../../lib/phone.ts';
import type { RecipientReading } from './use-recipient.ts';

/**
 * What the composer writes to: a new conversation with a recipient as typed, or a reply in an open
 * conversation. `contact` is null when the server does not know which side is ours; then the
 * person picks which participant sends.
 */
export type ComposeTarget =
  | { kind: 'new'; to: string }
  | { kind: 'reply'; conversationId: string; contact: string | null; participants: readonly string[] };

/** Who the message will reach, if that is settled yet. */
export function recipientOf(target: ComposeTarget, sendAs: string | null): string | undefined {
  if (target.kind === 'new') return target.to;
  if (target.contact !== null) return target.contact;
  return sendAs === null ? undefined : target.participants.find((p) => p !== sendAs);
}

/**
 * Whether it goes by SMS, for the counter and the placeholder: for a new conversation as the
 * server read the recipient (SMS until it has said otherwise); for a reply by the stored address.
 */
export function goesBySms(target: ComposeTarget, sendAs: string | null, reading: RecipientReading | null = null): boolean {
  if (target.kind === 'new') return reading === null || reading.kind !== 'NAME';
  const to = recipientOf(target, sendAs);
  return to !== undefined ? isPhoneNumber(to) : target.participants.some(isPhoneNumber);
}
