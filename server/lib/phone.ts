/**
 * E.164, the one form Hatch stores a phone number in: "+", a country code, at most 15 digits in all.
 * The web composer mirrors this rule in web/src/features/composer/validation.ts.
 */
export const E164 = /^\+\d{10,15}$/;

export const isE164 = (s: string): boolean => E164.test(s);
