import type { Sql } from '../../db/database.ts';
import { contactChangesAfter, conversationChangesBetween, FEED_BATCH, messageChangesAfter } from '../../db/tables/change-feed.ts';
import type { NewDelivery } from '../../db/tables/webhooks.ts';
import { contactDelivery, conversationDeliveries, deliveryOf, type Lookups, type NoteForEvent } from './events.ts';

type Query = Pick<Sql, 'query'>;

const WANTS_CONVERSATIONS = /^(conversation|note)\./;

/** Operators' names and notes the batch's conversation events name, in two reads. */
async function lookupsFor(sql: Query, operatorIds: string[], noteIds: string[]): Promise<Lookups> {
  const names = new Map<string, string>();
  const notes = new Map<string, NoteForEvent>();
  if (operatorIds.length) {
    for (const r of await sql.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "operators" WHERE "id" = ANY($1::uuid[])`, [operatorIds])) names.set(r.id, r.name);
  }
  if (noteIds.length) {
    const rows = await sql.query<{ id: string; body: string; author_kind: string; author_id: string | null; author_name: string; created_at: Date }>(
      `SELECT "id", "body", "author_kind", "author_id", "author_name", "created_at" FROM "notes" WHERE "id" = ANY($1::uuid[])`,
      [noteIds],
    );
    for (const r of rows) notes.set(r.id, { id: r.id, body: r.body, authorKind: r.author_kind, authorId: r.author_id, authorName: r.author_name, createdAt: new Date(r.created_at) });
  }
  return { operatorName: (id) => names.get(id), note: (id) => notes.get(id) };
}

export interface FeedEvents {
  deliveries: NewDelivery[];
  /** The position these cover through; undefined when the feed has nothing after `after`. */
  through: bigint | undefined;
  /** More may follow at once: read again from `through`. */
  more: boolean;
}

/**
 * The deliveries the feed's changes after `after` make for an endpoint that wants `wanted`, in
 * feed order. Only the tables those events come from are read. Each table gives at most a batch;
 * the changes taken stop where the first full batch ends, so a later read from `through` misses
 * nothing of any table.
 */
export async function feedEventsAfter(sql: Query, after: bigint, wanted: readonly string[], upTo?: bigint): Promise<FeedEvents> {
  const wantsMessages = wanted.some((e) => e.startsWith('message.'));
  const wantsConversations = wanted.some((e) => WANTS_CONVERSATIONS.test(e));
  const wantsContacts = wanted.includes('contact.changed');
  const [messages, conversations, contacts] = await Promise.all([
    wantsMessages ? messageChangesAfter(sql, after) : [],
    wantsConversations ? conversationChangesBetween(sql, after) : [],
    wantsContacts ? contactChangesAfter(sql, after) : [],
  ]);
  const batches = [messages, conversations, contacts];
  let through = batches.reduce<bigint | undefined>((end, b) => (b.length >= FEED_BATCH && (end === undefined || BigInt(b.at(-1)!.cursor) < end) ? BigInt(b.at(-1)!.cursor) : end), undefined);
  const more = through !== undefined;
  through ??= batches.reduce<bigint | undefined>((end, b) => (b.length && (end === undefined || BigInt(b.at(-1)!.cursor) > end) ? BigInt(b.at(-1)!.cursor) : end), undefined);
  if (upTo !== undefined && through !== undefined && through > upTo) through = upTo;
  if (through === undefined || through <= after) return { deliveries: [], through: undefined, more: false };
  const within = <T extends { cursor: string }>(b: T[]) => b.filter((c) => BigInt(c.cursor) <= through!);
  const convs = within(conversations);
  const lookups = await lookupsFor(
    sql,
    [...new Set(convs.flatMap((c) => (c.conversation.assigneeId ? [c.conversation.assigneeId] : [])))],
    [...new Set(convs.flatMap((c) => (c.before && c.conversation.lastNoteId && c.conversation.noteCount > c.before.noteCount ? [c.conversation.lastNoteId] : [])))],
  );
  const ordered: { at: bigint; rows: NewDelivery[] }[] = [
    ...within(messages).map((c) => ({ at: BigInt(c.cursor), rows: [deliveryOf(c, wanted)].flatMap((d) => d ?? []) })),
    ...convs.map((c) => ({ at: BigInt(c.cursor), rows: conversationDeliveries(c, wanted, lookups) })),
    ...within(contacts).map((c) => ({ at: BigInt(c.cursor), rows: [contactDelivery(c, wanted)].flatMap((d) => d ?? []) })),
  ];
  ordered.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { deliveries: ordered.flatMap((o) => o.rows), through, more: more && (upTo === undefined || through < upTo) };
}
