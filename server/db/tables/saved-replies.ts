import type { Sql } from '../database.ts';
import { tableColumns, time } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const savedReplyColumns = tableColumns(
  'saved_replies',
  ['id', 'name', 'body', 'created_by_id', 'created_at', 'updated_at'] as const,
  ['id', 'created_at', 'updated_at'] as const,
);

export interface SavedReplyRecord {
  id: string;
  name: string;
  body: string;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  name: string;
  body: string;
  created_by_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const toRecord = (r: Row): SavedReplyRecord => ({
  id: r.id,
  name: r.name,
  body: r.body,
  createdById: r.created_by_id,
  createdAt: time(r.created_at),
  updatedAt: time(r.updated_at),
});

/** Every saved reply, by name (in any case). */
export async function listSavedReplies(sql: Query): Promise<SavedReplyRecord[]> {
  const rows = await sql.query<Row>('SELECT * FROM "saved_replies" ORDER BY lower("name"), "id"');
  return rows.map(toRecord);
}

export async function countSavedReplies(sql: Query): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "saved_replies"');
  return row!.n;
}

/** Adds a reply; 'name-taken' when another has the name in any case. */
export async function insertSavedReply(sql: Query, r: { name: string; body: string; createdById: string | null }): Promise<SavedReplyRecord | 'name-taken'> {
  const [row] = await sql.query<Row>(
    `INSERT INTO "saved_replies" ("name", "body", "created_by_id") VALUES ($1, $2, $3)
     ON CONFLICT (lower("name")) DO NOTHING RETURNING *`,
    [r.name, r.body, r.createdById],
  );
  return row ? toRecord(row) : 'name-taken';
}

/**
 * Changes a reply's name or body (undefined: unchanged). Undefined when there is no such reply;
 * 'name-taken' when another has the new name in any case.
 */
export async function updateSavedReplyRow(sql: Query, id: string, change: { name?: string; body?: string }): Promise<SavedReplyRecord | undefined | 'name-taken'> {
  try {
    const [row] = await sql.query<Row>(
      `UPDATE "saved_replies" SET "name" = COALESCE($2, "name"), "body" = COALESCE($3, "body"), "updated_at" = now() WHERE "id" = $1 RETURNING *`,
      [id, change.name ?? null, change.body ?? null],
    );
    return row ? toRecord(row) : undefined;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'name-taken';
    throw err;
  }
}

/** Removes a reply; undefined when there was none. */
export async function deleteSavedReplyRow(sql: Query, id: string): Promise<SavedReplyRecord | undefined> {
  const [row] = await sql.query<Row>('DELETE FROM "saved_replies" WHERE "id" = $1 RETURNING *', [id]);
  return row ? toRecord(row) : undefined;
}
