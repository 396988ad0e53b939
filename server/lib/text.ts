// NUL cannot be stored in a Postgres text column, and a lone UTF-16 surrogate cannot be encoded
// as UTF-8: either would fail deep in the database instead of being refused at the door.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether Postgres could store this text as it is. */
export const isStorable = (text: string): boolean => !UNSTORABLE.test(text);

/** The text with what Postgres cannot store replaced by U+FFFD, for input that must not be lost. */
export const storable = (text: string): string => text.replace(new RegExp(UNSTORABLE, 'g'), '\uFFFD');
