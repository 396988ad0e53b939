import './composer.css';
import { safeDisplay } from '../../lib/bidi.ts';
import { channelLine, type PhoneChannel } from '../whatsapp/channel.ts';
import type { RecipientReading } from './use-recipient.ts';

const GENERAL = 'A phone number is sent as SMS; a name is kept in Hatch only.';
const GENERAL_WHATSAPP = 'A phone number is sent on WhatsApp; a name is kept in Hatch only.';

/**
 * The words under the To field: how the server read what was typed, so nothing is sent by surprise.
 * `channel`: the one chosen for a phone number, if any.
 */
export function confirmationOf(typed: string, reading: RecipientReading | null, errorShown = false, channel?: PhoneChannel): string {
  const general = channel === 'WHATSAPP' ? GENERAL_WHATSAPP : GENERAL;
  // A refusal shown beside the field already says what is wrong; the hint goes back to the rule.
  if (typed.trim() === '' || !reading || errorShown) return general;
  if (reading.kind === 'INVALID') return 'Not a phone number Hatch can text yet: write it as you would dial it, e.g. (555) 123-4567 or +44 7700 900123.';
  if (reading.error) return general;
  if (reading.kind === 'SMS' || reading.kind === 'WHATSAPP') return channelLine(reading.kind, reading.display ?? '', reading.contact?.name);
  return `“${safeDisplay(reading.display ?? '')}” is a name: the conversation is kept in Hatch only; nothing is sent.`;
}

interface Props {
  id: string;
  typed: string;
  reading: RecipientReading | null;
  errorShown: boolean;
  channel?: PhoneChannel;
}

export function RecipientConfirmation({ id, typed, reading, errorShown, channel }: Props) {
  const confirmed = reading !== null && !reading.error && reading.kind !== 'INVALID' && typed.trim() !== '';
  return (
    <p id={id} className={`field-hint${confirmed ? ' confirmed' : ''}`} data-testid="recipient-confirmation" aria-live="polite" dir="auto">
      {confirmationOf(typed, reading, errorShown, channel)}
    </p>
  );
}
