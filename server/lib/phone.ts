import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type { CountryCode } from 'libphonenumber-js';
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

/** What a recipient or sender as typed turns out to be. */
export type Address = { kind: 'phone'; e164: string } | { kind: 'bad-phone' } | { kind: 'name'; name: string };

// Digits with the separators people type or paste (spaces, dots, brackets, slashes, every dash),
// and nothing else: someone meant a phone number, never a contact's name.
const PHONE_LIKE = /^[\d\s().\/\-\u2010-\u2015\u2212]+$/;

/**
 * Reads an address the way a person means it. Anything that looks like a phone number (starts
 * with "+" or "tel:", or is digits and separators, in any script: full-width digits are digits)
 * is normalised to E.164 with libphonenumber, national numbers in `defaultCountry`, or is a bad
 * phone number; it never becomes a name. A number must be possible for its country (length), with
 * no extension; E.164 never starts with 0. Everything else is a name, trimmed.
 */
export function readAddress(typed: string, defaultCountry?: CountryCode): Address {
  const text = typed.normalize('NFKC').trim();
  const tel = /^tel:/i.test(text);
  const candidate = tel ? text.slice(4).trim() : text;
  if (!tel && !candidate.startsWith('+') && !(PHONE_LIKE.test(candidate) && /\d/.test(candidate))) {
    return { kind: 'name', name: typed.trim() };
  }
  const phone = parsePhoneNumberFromString(candidate, { defaultCountry, extract: false });
  if (!phone || !phone.isPossible() || phone.ext || !E164.test(phone.number) || phone.number.startsWith('+0')) return { kind: 'bad-phone' };
  return { kind: 'phone', e164: phone.number };
}
