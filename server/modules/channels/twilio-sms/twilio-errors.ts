/**
 * Twilio error codes a person may see on a failed message, in words they can act on. Anything not
 * listed keeps Twilio's own message. See https://www.twilio.com/docs/api/errors.
 */
export const TWILIO_ERROR_TEXT: Record<string, string> = {
  '20003': 'Twilio rejected the account credentials; check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
  '21211': "The number is not a valid phone number.",
  '21408': 'Sending to this country or region is not enabled on the Twilio account.',
  '21606': 'The sending number cannot send SMS.',
  '21610': 'The recipient has replied STOP; they receive nothing until they reply START.',
  '21612': 'Twilio cannot route a message from this sender to this number.',
  '21614': 'The number is not a mobile number and cannot receive SMS.',
  '63016': "More than 24 hours since the customer's last WhatsApp message: only an approved template may be sent until they write again.",
  '63003': 'The number is not on WhatsApp.',
  '21617': 'The message is too long.',
  '30003': 'The handset is unreachable (switched off or out of coverage).',
  '30004': 'The recipient has blocked messages from this sender.',
  '30005': 'The number does not exist or is no longer in service.',
  '30006': 'The number is a landline or cannot receive SMS.',
  '30007': 'The carrier filtered the message as spam.',
  '30008': 'The carrier reported an unknown delivery error.',
};

export function describeTwilioError(code: string | undefined | null, fallback?: string): string | undefined {
  if (!code) return fallback;
  return TWILIO_ERROR_TEXT[code] ?? fallback ?? `Twilio error ${code}.`;
}
