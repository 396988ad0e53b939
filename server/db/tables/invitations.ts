import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time } from './columns.ts';
import type { OperatorRole } from './operators.ts';

type Query = Pick<Sql, 'query'>;

// Only an invitation's hash is stored; the link itself is shown once, to the admin who makes it.
export const invitationColumns = tableColumns(
  'invitations',
  ['id', 'token_hash', 'role', 'email', 'created_by_id', 'created_at', 'expires_at', 'accepted_at', 'accepted_by_id', 'revoked_at'] as const,
  ['id', 'email', 'created_by_id', 'created_at', 'accepted_at', 'accepted_by_id', 'revoked_at'] as const,
);

export interface InvitationRecord {
  id: string;
  role: OperatorRole;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  /** Who made it, as named now (null once they are gone). */
  createdBy: string | null;
  /** Who joined with it. */
  acceptedBy: string | null;
}

const RECORD = `i."id", i."role", i."email", i."created_at", i."expires_at", i."accepted_at", i."revoked_at", c."name" AS created_by, a."name" AS accepted_by`;
const FROM = `LEFT JOIN "operators" c ON c."id" = i."created_by_id" LEFT JOIN "operators" a ON a."id" = i."accepted_by_id"`;

interface RecordRow {
  id: string;
  role: OperatorRole;
  email: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_by: string | null;
  accepted_by: string | null;
}

const toRecord = (r: RecordRow): InvitationRecord => ({
  id: r.id,
  role: r.role,
  email: r.email,
  createdAt: time(r.created_at),
  expiresAt: time(r.expires_at),
  acceptedAt: optionalTime(r.accepted_at),
  revokedAt: optionalTime(r.revoked_at),
  createdBy: r.created_by,
  acceptedBy: r.accepted_by,
});

export async function insertInvitation(
  sql: Query,
  i: { tokenHash: string; role: OperatorRole; email: string | null; createdById: string | null; expiresAt: Date },
): Promise<InvitationRecord> {
  const [row] = await sql.query<RecordRow>(
    `WITH i AS (INSERT INTO "invitations" ("token_hash", "role", "email", "created_by_id", "expires_at") VALUES ($1, $2, $3, $4, $5) RETURNING *)
     SELECT ${RECORD} FROM i ${FROM}`,
    [i.tokenHash, i.role, i.email, i.createdById, i.expiresAt],
  );
  return toRecord(row!);
}

/** Invitations still waiting to be used (not used, revoked or expired), newest first. */
export async function pendingInvitations(sql: Query): Promise<InvitationRecord[]> {
  const rows = await sql.query<RecordRow>(
    `SELECT ${RECORD} FROM "invitations" i ${FROM}
      WHERE i."accepted_at" IS NULL AND i."revoked_at" IS NULL AND i."expires_at" > now()
      ORDER BY i."created_at" DESC, i."id" DESC`,
  );
  return rows.map(toRecord);
}

/** Revokes a pending invitation; undefined when there is no such pending one. */
export async function revokeInvitationRow(tx: Query, id: string): Promise<InvitationRecord | undefined> {
  const [row] = await tx.query<RecordRow>(
    `WITH i AS (UPDATE "invitations" SET "revoked_at" = now()
                 WHERE "id" = $1 AND "accepted_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > now() RETURNING *)
     SELECT ${RECORD} FROM i ${FROM}`,
    [id],
  );
  return row ? toRecord(row) : undefined;
}

/** The pending invitation with this hash, locked for the transaction that uses it. */
export async function lockPendingInvitation(tx: Query, tokenHash: string): Promise<{ id: string; role: OperatorRole; email: string | null } | undefined> {
  const [row] = await tx.query<{ id: string; role: OperatorRole; email: string | null }>(
    `SELECT "id", "role", "email" FROM "invitations"
      WHERE "token_hash" = $1 AND "accepted_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > now() FOR UPDATE`,
    [tokenHash],
  );
  return row;
}

export async function markInvitationAccepted(tx: Query, id: string, operatorId: string): Promise<void> {
  await tx.query('UPDATE "invitations" SET "accepted_at" = now(), "accepted_by_id" = $2 WHERE "id" = $1', [id, operatorId]);
}
