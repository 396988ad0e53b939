// What a contact's name may be, with no dependencies: also read where a provider names a sender.
export const MAX_CONTACT_NAME_CHARS = 100;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether a name fits a contact: at most MAX_CONTACT_NAME_CHARS characters, none of them control characters. */
export const isContactName = (name: string): boolean => [...name].length <= MAX_CONTACT_NAME_CHARS && !CONTROL.test(name);
