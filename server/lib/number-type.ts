// The full metadata, only for number types (premium rate and the like), which the small metadata
// used for reading numbers does not carry. A file of its own: the full metadata takes several times
// as long to load as the rest of libphonenumber, and only sending needs it, not the configuration
// every command reads.
import { parsePhoneNumberFromString as parseWithTypes } from 'libphonenumber-js/max';
import type { PhoneNumberType } from './phone.ts';

/** What kind of line a number is, when its country's numbering plan says (undefined otherwise). */
export function numberType(e164: string): PhoneNumberType | undefined {
  return parseWithTypes(e164)?.getType() ?? undefined;
}
