import { formatForPeople } from '../../lib/phone.ts';
import type { OptOutReason } from './contacts.service.ts';

/**
 * Why a number gets no SMS, in the words the inbox and the API use everywhere (the thread's notice,
 * a failed message, the OPTED_OUT refusal), from what actually happened rather than assuming a STOP.
 */
export function optOutText(address: string, reason: OptOutReason | null): string {
  const who = formatForPeople(address);
  switch (reason) {
    case 'TEST_NUMBER':
      return `${who} is Twilio's test number for an opted-out recipient: it never receives SMS.`;
    case 'PROVIDER_ERROR':
      return `Twilio refused to text ${who} (error 21610: the number is opted out with the carrier or Twilio). They receive nothing until they reply START.`;
    case 'STOP_REPLY':
      return `${who} replied STOP: no text reaches them until they reply START.`;
    case null:
      return `${who} has opted out: no text reaches them until they reply START.`;
  }
}
