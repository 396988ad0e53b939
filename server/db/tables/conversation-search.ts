import type { Sql } from '../database.ts';

// The conversations a search matches: hand-written because it must walk an index in the list's
// order while matching names, numbers and message text (see searchConversationIds).

export type ConversationFilter = 'OPEN' | 'DONE' | 'SNOOZED' | 'ALL';
/** Whose conversations: anyone's, one operator's (by id), or nobody's. */
export type AssigneeChoice = { kind: 'anyone' } | { kind: 'operator'; id: string } | { kind: 'nobody' };

/** What a search looks for (worked out from what was typed by modules/conversations/conversation-search.ts). */
export interface SearchTerms {
  /** For ILIKE on names and participants: the text with %, _ and \\ matching themselves. */
  pattern: string;
  /** Digits of a number, formatting ignored. */
  digits: string[];
  /** For message text (Postgres full-text search), or null when the text has no words. */
  tsquery: string | null;
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
  assignee: AssigneeChoice = { kind: 'anyone' },
): Promise<string[]> {
  const params: unknown[] = [terms.pattern, identities];
  const param = (value: unknown) => `$${params.push(value)}`;
  const digits = terms.digits.length ? param(terms.digits.map((d) => `%${d}%`)) : null;
  const sides = ['participant_a', 'participant_b'].map((column) => side(column, digits));
  const text = terms.tsquery
    ? `OR c."id" IN (SELECT m."conversation_id" FROM "messages" m WHERE to_tsvector('simple'::regconfig, m."body") @@ to_tsquery('simple'::regconfig, ${param(terms.tsquery)}))`
    : '';
  const { where, order, backward } = pageClauses(params, filter, assignee, page);
  const rows = await sql.query<{ id: string }>(
    `SELECT c."id" FROM "conversations" c
      WHERE (${sides.join(' OR ')} ${text}) ${where}
      ORDER BY c."last_message_at" ${order}, c."id" ${order}
      LIMIT ${param(Math.abs(page.take))}`,
    params,
  );
  const ids = rows.map((r) => r.id);
  return backward ? ids.reverse() : ids;
}

/**
 * What a page of the list keeps (the filter, whose, after or before the cursor) as SQL on `c`, its
 * values added to `params`; and the order to walk in (backward: ascending, to be reversed).
 */
export function pageClauses(params: unknown[], filter: ConversationFilter, assignee: AssigneeChoice, page: SearchPage): { where: string; order: 'ASC' | 'DESC'; backward: boolean } {
  const param = (value: unknown) => `$${params.push(value)}`;
  const backward = page.take < 0;
  const keyset = page.cursorId
    ? `AND (c."last_message_at", c."id") ${backward ? '>' : '<'} (SELECT "last_message_at", "id" FROM "conversations" WHERE "id" = ${param(page.cursorId)}::uuid)`
    : '';
  const done = {
    // Snoozed until a time still to come: out of Open until then (the waker brings it back on top).
    OPEN: 'AND c."done_at" IS NULL AND (c."snoozed_until" IS NULL OR c."snoozed_until" <= now())',
    DONE: 'AND c."done_at" IS NOT NULL',
    SNOOZED: 'AND c."done_at" IS NULL AND c."snoozed_until" > now()',
    ALL: '',
  }[filter];
  const whose = assignee.kind === 'nobody' ? 'AND c."assignee_id" IS NULL' : assignee.kind === 'operator' ? `AND c."assignee_id" = ${param(assignee.id)}::uuid` : '';
  return { where: `${done} ${whose} ${keyset}`, order: backward ? 'ASC' : 'DESC', backward };
}
