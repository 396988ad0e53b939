import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time, type Row } from './columns.ts';

// Internal notes and the operators they mention. A note is written with its mentions and its
// conversation's `last_note_id`/`note_count` in one transaction: that conversation UPDATE is what
// puts the note in the change feed.
type Query = Pick<Sql, 'query'>;

export const noteColumns = tableColumns(
  'notes',
  ['id', 'conversation_id', 'author_kind', 'author_id', 'author_name', 'body', 'created_at'] as const,
  ['id', 'created_at'] as const,
);
export const noteMentionColumns = tableColumns('note_mentions', ['operator_id', 'note_id', 'seen_at'] as const, ['seen_at'] as const);

export interface NoteRecord {
  id: string;
  conversationId: string;
  authorKind: 'OPERATOR' | 'TOKEN';
  authorId: string | null;
  authorName: string;
  body: string;
  createdAt: Date;
}

/** One mention of the viewer: the note, and when they saw it (null: not yet). */
export interface MentionRecord {
  note: NoteRecord;
  seenAt: Date | null;
}

const toNote = (r: Row): NoteRecord => ({
  id: r.id as string,
  conversationId: r.conversation_id as string,
  authorKind: r.author_kind as NoteRecord['authorKind'],
  authorId: (r.author_id ?? null) as string | null,
  authorName: r.author_name as string,
  body: r.body as string,
  createdAt: time(r.created_at),
});

/**
 * Writes a note, its mentions, and the conversation's newest note; undefined when the conversation
 * does not exist (nothing written). Run in a transaction.
 */
export async function insertNote(
  tx: Query,
  n: { conversationId: string; authorKind: NoteRecord['authorKind']; authorId: string | null; authorName: string; body: string; mentioned: string[] },
): Promise<NoteRecord | undefined> {
  // The conversation first, locked: notes to one conversation are written one after another, so
  // each note's time (taken after the lock) and `last_note_id` follow the order they commit in.
  const [found] = await tx.query('SELECT 1 FROM "conversations" WHERE "id" = $1 FOR UPDATE', [n.conversationId]);
  if (!found) return undefined;
  const [row] = await tx.query<Row>(
    `INSERT INTO "notes" ("conversation_id", "author_kind", "author_id", "author_name", "body", "created_at")
       VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING *`,
    [n.conversationId, n.authorKind, n.authorId, n.authorName, n.body],
  );
  const note = toNote(row!);
  if (n.mentioned.length > 0) {
    await tx.query(
      `INSERT INTO "note_mentions" ("operator_id", "note_id", "seen_at") SELECT o, $2, NULL FROM unnest($1::uuid[]) AS o`,
      [n.mentioned, note.id],
    );
  }
  await tx.query(`UPDATE "conversations" SET "last_note_id" = $2, "note_count" = "note_count" + 1, "updated_at" = clock_timestamp() WHERE "id" = $1`, [n.conversationId, note.id]);
  return note;
}

/** Notes with these ids, in no order (a page of conversations' newest notes, in one read). */
export async function notesByIds(sql: Query, ids: readonly string[]): Promise<NoteRecord[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<Row>('SELECT * FROM "notes" WHERE "id" = ANY($1::uuid[])', [ids]);
  return rows.map(toNote);
}

/** A page of a conversation's notes, by (created_at, id): `after`/`before` are such a key. */
export async function notesOf(sql: Query, conversationId: string, page: { after?: NoteKey; before?: NoteKey; limit: number; newestFirst: boolean }): Promise<NoteRecord[]> {
  const params: unknown[] = [conversationId];
  const where = ['"conversation_id" = $1'];
  if (page.after) where.push(`("created_at", "id") > ($${params.push(page.after.createdAt)}, $${params.push(page.after.id)})`);
  if (page.before) where.push(`("created_at", "id") < ($${params.push(page.before.createdAt)}, $${params.push(page.before.id)})`);
  const order = page.newestFirst ? 'DESC' : 'ASC';
  const rows = await sql.query<Row>(`SELECT * FROM "notes" WHERE ${where.join(' AND ')} ORDER BY "created_at" ${order}, "id" ${order} LIMIT ${page.limit}`, params);
  return rows.map(toNote);
}

export interface NoteKey {
  createdAt: Date;
  id: string;
}

/** Operators mentioned in each of these notes, by note id. */
export async function mentionedIn(sql: Query, noteIds: readonly string[]): Promise<Map<string, string[]>> {
  const byNote = new Map<string, string[]>(noteIds.map((id) => [id, []]));
  if (noteIds.length === 0) return byNote;
  const rows = await sql.query<{ note_id: string; operator_id: string }>('SELECT "note_id", "operator_id" FROM "note_mentions" WHERE "note_id" = ANY($1::uuid[])', [noteIds]);
  for (const r of rows) byNote.get(r.note_id)?.push(r.operator_id);
  return byNote;
}

/** A page of the notes mentioning `operatorId`, newest first, by (created_at, id) before `before`. */
export async function mentionsOf(sql: Query, operatorId: string, page: { before?: NoteKey; limit: number; unseenOnly: boolean }): Promise<MentionRecord[]> {
  const params: unknown[] = [operatorId];
  const where = ['m."operator_id" = $1'];
  if (page.unseenOnly) where.push('m."seen_at" IS NULL');
  if (page.before) where.push(`(n."created_at", n."id") < ($${params.push(page.before.createdAt)}, $${params.push(page.before.id)})`);
  const rows = await sql.query<Row>(
    `SELECT n.*, m."seen_at" FROM "note_mentions" m JOIN "notes" n ON n."id" = m."note_id"
      WHERE ${where.join(' AND ')} ORDER BY n."created_at" DESC, n."id" DESC LIMIT ${page.limit}`,
    params,
  );
  return rows.map((r) => ({ note: toNote(r), seenAt: optionalTime(r.seen_at) }));
}

export async function countUnseenMentions(sql: Query, operatorId: string): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "note_mentions" WHERE "operator_id" = $1 AND "seen_at" IS NULL', [operatorId]);
  return row!.n;
}

/** Marks the operator's mentions seen (in one conversation, when given); returns how many it marked. */
export async function markMentionsSeen(sql: Query, operatorId: string, conversationId: string | null): Promise<number> {
  const rows = await sql.query<{ note_id: string }>(
    conversationId
      ? `UPDATE "note_mentions" m SET "seen_at" = CURRENT_TIMESTAMP FROM "notes" n
          WHERE n."id" = m."note_id" AND m."operator_id" = $1 AND m."seen_at" IS NULL AND n."conversation_id" = $2 RETURNING m."note_id"`
      : `UPDATE "note_mentions" SET "seen_at" = CURRENT_TIMESTAMP WHERE "operator_id" = $1 AND "seen_at" IS NULL RETURNING "note_id"`,
    conversationId ? [operatorId, conversationId] : [operatorId],
  );
  return rows.length;
}

/** For each of these notes that mention `operatorId`: whether they have seen it. */
export async function mentionSeenBy(sql: Query, operatorId: string, noteIds: readonly string[]): Promise<Map<string, boolean>> {
  if (noteIds.length === 0) return new Map();
  const rows = await sql.query<{ note_id: string; seen: boolean }>(
    'SELECT "note_id", "seen_at" IS NOT NULL AS seen FROM "note_mentions" WHERE "operator_id" = $1 AND "note_id" = ANY($2::uuid[])',
    [operatorId, noteIds],
  );
  return new Map(rows.map((r) => [r.note_id, r.seen]));
}
