/**
 * E.164, the form the server stores phone numbers in. Only for telling a stored address (a
 * participant, a contact) that is a number from one that is a name: what someone types is read
 * by the server (the `recipient` query), never by rules of the page's own.
 */
export const E164 = /^\+\d{10,15}$/;

export const isPhoneNumber = (s: string): boolean => E164.test(s);

/** How the server writes a WhatsApp address: "whatsapp:+15551234567". */
export const WHATSAPP_PREFIX = 'whatsapp:';

/** Whether a stored address is a WhatsApp one. */
export const isWhatsAppAddress = (s: string): boolean => s.startsWith(WHATSAPP_PREFIX) && isPhoneNumber(s.slice(WHATSAPP_PREFIX.length));

/** Whether a stored address reaches a phone, by SMS or on WhatsApp (rather than being a name). */
export const reachesPhone = (s: string): boolean => isPhoneNumber(s) || isWhatsAppAddress(s);
