import type { Sql } from '../../db/database.ts';
import { readAddress, type CountryCode } from '../../lib/phone.ts';

export type ConversationFilter = 'OPEN' | 'DONE' | 'ALL';

/** What a search looks for, worked out once from what was typed. */
export interface SearchTerms {
  /** For ILIKE on names and participants: the text with %, _ and \ matching themselves. */
  pattern: string;
  /** For numbers, formatting ignored: "(555) 987-6543", "+1 555 987 6543" and "987-6543" all find +15559876543. */
  digits: string[];
  /** For message text (Postgres full-text search), or null when the text has no words. */
  tsquery: string | null;
}

const MAX_WORDS = 8;
const PHONE_LIKE = /^(tel:)?[\s+\d().\/\-\u2010-\u2015\u2212]+$/i;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

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

/** The side of a conversation a search may match: not ours, and not one of our own names or numbers. */
const side = (column: string, digits: string | null) => `(c."${column}" IS DISTINCT FROM c."ours"
      AND lower(c."${column}") <> ALL(ARRAY(SELECT lower(x) FROM unnest($2::text[]) x))
      AND (c."${column}" ILIKE $1
        OR EXISTS (SELECT 1 FROM "contacts" k WHERE lower(k."address") = lower(c."${column}") AND k."name" ILIKE $1)
        ${digits ? `OR (c."${column}" LIKE '+%' AND c."${column}" LIKE ANY(${digits}))` : ''}))`;

export interface SearchPage {
  /** Rows to return: negative for a page that ends before `cursorId` (Relay's `last`/`before`). */
  take: number;
  cursorId?: string;
}

/**
 * The ids of one page of conversations that match a search, most recent activity first. Every
 * part is backed by an index: the walk down the conversations in order (the index of the filter),
 * contacts by address, and message text by the full-text index on messages, whose matching
 * conversations are collected once (a hashed subplan) rather than looked up per conversation.
 */
export async function searchConversationIds(
  sql: Pick<Sql, 'query'>,
  terms: SearchTerms,
  identities: string[],
  filter: ConversationFilter,
  page: SearchPage,
): Promise<string[]> {
  const params: unknown[] = [terms.pattern, identities];
  const param = (value: unknown) => `$${params.push(value)}`;
  const digits = terms.digits.length ? param(terms.digits.map((d) => `%${d}%`)) : null;
  const sides = ['participant_a', 'participant_b'].map((column) => side(column, digits));
  const text = terms.tsquery
    ? `OR c."id" IN (SELECT m."conversation_id" FROM "messages" m WHERE to_tsvector('simple'::regconfig, m."body") @@ to_tsquery('simple'::regconfig, ${param(terms.tsquery)}))`
    : '';
  const backward = page.take < 0;
  const keyset = page.cursorId
    ? `AND (c."last_message_at", c."id") ${backward ? '>' : '<'} (SELECT "last_message_at", "id" FROM "conversations" WHERE "id" = ${param(page.cursorId)}::uuid)`
    : '';
  const done = filter === 'OPEN' ? 'AND c."done_at" IS NULL' : filter === 'DONE' ? 'AND c."done_at" IS NOT NULL' : '';
  const order = backward ? 'ASC' : 'DESC';
  const rows = await sql.query<{ id: string }>(
    `SELECT c."id" FROM "conversations" c
      WHERE (${sides.join(' OR ')} ${text}) ${done} ${keyset}
      ORDER BY c."last_message_at" ${order}, c."id" ${order}
      LIMIT ${param(Math.abs(page.take))}`,
    params,
  );
  const ids = rows.map((r) => r.id);
  return backward ? ids.reverse() : ids;
}
