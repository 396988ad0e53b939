import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';
import type { OperatorRole } from './operators.ts';

type Query = Pick<Sql, 'query'>;

export const auditEventColumns = tableColumns(
  'audit_events',
  ['id', 'at', 'action', 'actor_kind', 'actor_id', 'actor_name', 'target_kind', 'target_id', 'target_name', 'role', 'address'] as const,
  ['id', 'at', 'actor_id', 'actor_name', 'target_kind', 'target_id', 'target_name', 'role', 'address'] as const,
);

export type AuditActorKind = 'OPERATOR' | 'TOKEN' | 'COMMAND' | 'NOBODY';

export interface AuditEntry {
  action: string;
  actor: { kind: AuditActorKind; id?: string | null; name?: string | null };
  target?: { kind: string; id?: string | null; name?: string | null };
  role?: OperatorRole | null;
  address?: string | null;
}

/** Appends one entry; in the caller's transaction when there is one, so it commits with what it records. */
export async function insertAuditEvent(sql: Query, e: AuditEntry): Promise<void> {
  await sql.query(
    `INSERT INTO "audit_events" ("at", "action", "actor_kind", "actor_id", "actor_name", "target_kind", "target_id", "target_name", "role", "address")
     VALUES (clock_timestamp(), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      e.action,
      e.actor.kind,
      e.actor.id ?? null,
      e.actor.name?.slice(0, 254) ?? null,
      e.target?.kind ?? null,
      e.target?.id ?? null,
      e.target?.name?.slice(0, 254) ?? null,
      e.role ?? null,
      e.address?.slice(0, 100) ?? null,
    ],
  );
}

/**
 * Deletes entries older than `cutoff`, at most `limit` of them: the only deletion the table's
 * trigger lets through, and only in a transaction that says it is the sweep.
 */
export async function pruneAuditEvents(tx: Query, cutoff: Date, limit: number): Promise<number> {
  await tx.query(`SELECT set_config('hatch.audit_sweep', 'on', true)`);
  const rows = await tx.query(
    `DELETE FROM "audit_events" WHERE "id" IN (SELECT "id" FROM "audit_events" WHERE "at" < $1 ORDER BY "id" LIMIT $2) RETURNING "id"`,
    [cutoff, limit],
  );
  return rows.length;
}
