import type { Sql } from '../../db/database.ts';
import { markOptedOut } from '../contacts/contacts.service.ts';

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
 * A provider error saying the recipient opted out (whether it came back from a send or in a
 * status callback) opts the number out here too, so the next send is refused before it costs.
 */
export async function optOutOnProviderError(sql: Pick<Sql, 'query'>, errorCode: string | null | undefined, to: string): Promise<boolean> {
  if (!errorCode || !OPT_OUT_ERROR_CODES.has(errorCode)) return false;
  // Recorded as what happened: nobody replied STOP, Twilio said no (or it is the test number).
  await markOptedOut(sql, to, true, to === OPTED_OUT_TEST_NUMBER ? 'TEST_NUMBER' : 'PROVIDER_ERROR');
  return true;
}
