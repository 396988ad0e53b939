import type { SearchTerms } from '../../db/tables/conversation-search.ts';
import { readAddress, type CountryCode } from '../../lib/phone.ts';

export { searchConversationIds, type AssigneeChoice, type ConversationFilter, type SearchPage, type SearchTerms } from '../../db/tables/conversation-search.ts';

const MAX_WORDS = 8;
const PHONE_LIKE = /^(tel:)?[\s+\d().\/\-\u2010-\u2015\u2212]+$/i;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** What a search looks for, worked out once from what was typed. */
export function searchTerms(typed: string, defaultCountry: CountryCode | undefined): SearchTerms {
  const text = typed.normalize('NFKC').trim();
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits: string[] = [];
  if (PHONE_LIKE.test(text)) {
    const bare = text.replace(/\D/g, '');
    if (bare.length >= 3) digits.push(bare);
    // A national number in the default country ("07700 900123") is found by its E.164 digits.
    const read = readAddress(text, defaultCountry);
    if (read.kind === 'phone' && !digits.includes(read.e164.slice(1))) digits.push(read.e164.slice(1));
  }
  // Each word a prefix ("tow" finds "towels"); a single character only as a whole word, since as a
  // prefix it would match most of the text in the inbox. Words hold letters and digits only, so no
  // quoting is needed inside the tsquery.
  const words = [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]).slice(0, MAX_WORDS);
  const tsquery = words.length ? words.map((w) => ([...w].length > 1 ? `'${w}':*` : `'${w}'`)).join(' & ') : null;
  return { pattern, digits, tsquery };
}
