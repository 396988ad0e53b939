/**
 * E.164, the form the server stores phone numbers in. Only for telling a stored address (a
 * participant, a contact) that is a number from one that is a name: what someone types is read
 * by the server (the `recipient` query), never by rules of the page's own.
 */
export const E164 = /^\+\d{10,15}$/;

export const isPhoneNumber = (s: string): boolean => E164.test(s);
