import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';

/**
 * E.164, the one form Hatch stores a phone number in: "+", a country code, at most 15 digits in all.
 * The web composer mirrors this rule in web/src/lib/phone.ts.
 */
export const E164 = /^\+\d{10,15}$/;

export const isE164 = (s: string): boolean => E164.test(s);

export const isCountryCode = (code: string): code is CountryCode => isSupportedCountry(code);

/**
 * The country a number belongs to, by libphonenumber's metadata. A number no country has assigned
 * yet (such as the +1 555 range used in examples) counts as its calling code's main country, as
 * Twilio's geo permissions do: +1 is the United States, +44 the United Kingdom.
 */
export function countryOf(e164: string): CountryCode | undefined {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return undefined;
  if (phone.country) return phone.country;
  const main = (metadata.country_calling_codes as Record<string, string[]>)[phone.countryCallingCode]?.[0];
  return main && isCountryCode(main) ? main : undefined;
}
