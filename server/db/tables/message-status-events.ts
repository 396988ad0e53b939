import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

// Read by Prisma (Message.statusHistory); written and replayed here.
export const statusEventColumns = tableColumns('message_status_events', ['id', 'provider_sid', 'status', 'error_code', 'received_at'] as const, ['id', 'received_at'] as const);

/** Keeps a provider's report; false when the same report was kept already (a retried webhook). */
export async function keepStatusReport(sql: Query, r: { providerSid: string; status: string; errorCode: string | null }): Promise<boolean> {
  const kept = await sql.query(
    `INSERT INTO "message_status_events" ("provider_sid", "status", "error_code") VALUES ($1, $2, $3)
     ON CONFLICT ("provider_sid", "status", COALESCE("error_code", '')) DO NOTHING RETURNING "id"`,
    [r.providerSid, r.status, r.errorCode],
  );
  return kept.length > 0;
}

/** Every report kept for one provider id, in the order they came. */
export async function reportsFor(sql: Query, providerSid: string): Promise<{ status: string; errorCode: string | null }[]> {
  const rows = await sql.query<{ status: string; error_code: string | null }>(
    'SELECT "status", "error_code" FROM "message_status_events" WHERE "provider_sid" = $1 ORDER BY "id"',
    [providerSid],
  );
  return rows.map((r) => ({ status: r.status, errorCode: r.error_code }));
}
