import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type { CountryCode } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import type { NumberType } from 'libphonenumber-js/max';

/** E.164, the one form Hatch stores a phone number in: "+", a country code, at most 15 digits in all. */
export const E164 = /^\+\d{10,15}$/;

export const isE164 = (s: string): boolean => E164.test(s);

/** A number as logs may show it at info level: enough to tell numbers apart, not to text one. */
export const maskPhone = (address: string): string => (isE164(address) ? `${address.slice(0, 2)}…${address.slice(-4)}` : address);

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

/** The scheme of a WhatsApp address, as Twilio writes them: "whatsapp:+15551234567". */
export const WHATSAPP_PREFIX = 'whatsapp:';

/** Whether an address is a WhatsApp one ("whatsapp:+15551234567"). */
export const isWhatsApp = (address: string): boolean => address.startsWith(WHATSAPP_PREFIX);

/** The phone number behind an address: a WhatsApp address's number, or the address as it is. */
export const numberOf = (address: string): string => (isWhatsApp(address) ? address.slice(WHATSAPP_PREFIX.length) : address);

/**
 * A stored number written for people: "+1 555-123-4567" (North American numbers grouped the way
 * they are said there), "+44 7700 900123" elsewhere. Anything that is not E.164 is returned as it is.
 */
export function formatForPeople(address: string): string {
  if (isWhatsApp(address) && isE164(numberOf(address))) return `WhatsApp ${formatForPeople(numberOf(address))}`;
  if (!isE164(address)) return address;
  const phone = parsePhoneNumberFromString(address);
  if (!phone) return address;
  const international = phone.formatInternational();
  if (phone.countryCallingCode !== '1') return international;
  const national = international.slice(3);
  return /^\d{3} \d{3} \d{4}$/.test(national) ? `+1 ${national.replace(/ /g, '-')}` : international;
}

/** How the server reads what someone typed as a recipient: the page asks, rather than guessing. */
export interface AddressReading {
  kind: 'SMS' | 'NAME' | 'INVALID';
  /** What the server stores: the E.164 number, or the trimmed name. Null when invalid. */
  address: string | null;
  /** The address written for people. */
  display: string | null;
}

export function describeAddress(typed: string, defaultCountry?: CountryCode): AddressReading {
  const read = readAddress(typed, defaultCountry);
  if (read.kind === 'phone') return { kind: 'SMS', address: read.e164, display: formatForPeople(read.e164) };
  if (read.kind === 'name') return { kind: 'NAME', address: read.name, display: read.name };
  return { kind: 'INVALID', address: null, display: null };
}

/** libphonenumber's number types, as SMS_ALLOWED_NUMBER_TYPES names them. */
export const NUMBER_TYPES = [
  'FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP',
  'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL',
] as const satisfies readonly NonNullable<NumberType>[];
export type PhoneNumberType = (typeof NUMBER_TYPES)[number];
