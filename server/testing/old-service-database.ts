import pg from 'pg';
import { createScratchDatabase } from './databases.ts';

// An old service's database made up on demand, for the importer's tests and its measurement: a
// database of its own on a Postgres server, holding the `messages` table exactly as the old
// service's SQLAlchemy model created it, filled with generated conversations.

/** The old model's table (data_model/database_model.py), optionally without its primary key or with a bytea body. */
export function oldTableSql(options: { primaryKey?: boolean; bodyType?: 'varchar' | 'bytea' } = {}): string {
  return `CREATE TABLE messages (
    id uuid ${options.primaryKey === false ? '' : 'PRIMARY KEY'}, to_contact varchar, from_contact varchar, body ${options.bodyType ?? 'varchar'},
    type varchar, timestamp timestamp without time zone, status varchar, conversation_id uuid, external_sid varchar,
    direction varchar, error_code integer, error_message varchar, num_media integer DEFAULT 0, num_segments integer DEFAULT 1,
    price double precision, price_unit varchar DEFAULT 'USD', date_sent timestamp, date_updated timestamp)`;
}

/** The old service's conversation id in SQL: sha256 of the two participants sorted by code point, as a UUID. */
export const conversationIdSql = (a: string, b: string) =>
  `substr(encode(sha256(convert_to(least(${a} COLLATE "C", ${b} COLLATE "C") || greatest(${a} COLLATE "C", ${b} COLLATE "C"), 'UTF8')), 'hex'), 1, 32)::uuid`;

/**
 * `rows` generated messages over `contacts` conversations, one second apart from 2025-01-01 on:
 * SMS with our number for most contacts, stored-only between names for every tenth, inbound and
 * outbound in turn, with the statuses Twilio reports.
 */
export function generateRowsSql(rows: number, options: { contacts?: number; first?: number; bodyType?: 'varchar' | 'bytea' } = {}): string {
  const contacts = options.contacts ?? Math.max(1, Math.floor(rows / 50));
  const first = options.first ?? 1;
  const body = `'Message ' || g || ' of the old service'`;
  const contact = `CASE WHEN g % ${contacts} % 10 = 0 THEN 'Contact ' || (g % ${contacts}) ELSE '+1555' || lpad((g % ${contacts})::text, 7, '0') END`;
  const us = `CASE WHEN g % ${contacts} % 10 = 0 THEN 'Front desk' ELSE '+15005550006' END`;
  return `INSERT INTO messages (id, to_contact, from_contact, body, type, timestamp, status, conversation_id, direction, external_sid)
    SELECT gen_random_uuid(),
           CASE WHEN g % 2 = 0 THEN p.us ELSE p.contact END,
           CASE WHEN g % 2 = 0 THEN p.contact ELSE p.us END,
           ${options.bodyType === 'bytea' ? `convert_to(${body}, 'UTF8')` : body}, 'sms',
           timestamp '2025-01-01 00:00:00' + g * interval '1 second',
           CASE WHEN g % 2 = 0 THEN 'received' ELSE (ARRAY['delivered','sent','failed','undelivered','queued'])[1 + g % 5] END,
           ${conversationIdSql('p.contact', 'p.us')},
           CASE WHEN g % 2 = 0 THEN 'inbound-api' ELSE 'outbound-api' END,
           'SM' || md5(g::text)
      FROM generate_series(${first}, ${first + rows - 1}) AS g, LATERAL (SELECT ${contact} AS contact, ${us} AS us) AS p`;
}

export interface OldDatabase {
  url: string;
  query<T extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database on the server at `adminUrl` (dropped by `drop`). */
export async function createOldDatabase(adminUrl: string): Promise<OldDatabase> {
  const scratch = await createScratchDatabase(adminUrl, 'flask_old');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  return {
    url: scratch.url,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async drop() {
      await pool.end();
      await scratch.drop();
    },
  };
}
