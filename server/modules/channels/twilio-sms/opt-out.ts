import type { OptOutReason } from '../../contacts/contacts.service.ts';

// Twilio's default opt-out and opt-in keywords: the whole body, trimmed, in any case.
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/** Twilio error codes that mean the recipient has opted out of messages from us. */
const OPT_OUT_ERROR_CODES = new Set(['21610']);

/** Twilio's test number that always answers 21610 (with test credentials, and in the simulator). */
export const OPTED_OUT_TEST_NUMBER = '+15005550004';

/** What an inbound body says about consent: true = opts out, false = opts back in, undefined = neither. */
export function optOutIntent(body: string, twilioOptOutType?: string): boolean | undefined {
  // With Twilio's Advanced Opt-Out, Twilio tells us what it understood (its keywords may be custom).
  const type = twilioOptOutType?.toUpperCase();
  if (type === 'STOP') return true;
  if (type === 'START') return false;
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return true;
  if (OPT_IN.has(word)) return false;
  return undefined;
}

/**
 * Whether a Twilio error (from a send or in a status callback) says the recipient opted out, and
 * how to record it: nobody replied STOP, Twilio said no (or it is the test number).
 */
export function optOutByError(code: string | null | undefined, to: string): OptOutReason | undefined {
  if (!code || !OPT_OUT_ERROR_CODES.has(code)) return undefined;
  return to === OPTED_OUT_TEST_NUMBER ? 'TEST_NUMBER' : 'PROVIDER_ERROR';
}
