/**
 * E.164, the form the server stores phone numbers in: "+", a country code, at most 15 digits.
 * A mirror of server/lib/phone.ts, so the page can tell an SMS recipient from a name as it is typed.
 */
export const E164 = /^\+\d{10,15}$/;

export const isPhoneNumber = (s: string): boolean => E164.test(s);
