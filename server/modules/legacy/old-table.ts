import pg from 'pg';
import type { OldRow } from './old-row.ts';

/** The old model's columns the importer reads, matched by name; any others are ignored. */
export const OLD_COLUMNS = ['id', 'to_contact', 'from_contact', 'body', 'conversation_id', 'timestamp', 'status', 'direction'] as const;
const TEXT_COLUMNS = new Set(['to_contact', 'from_contact', 'body', 'status', 'direction']);

export class OldTableError extends Error {}

/**
 * A connection to the old service's database that cannot write: every transaction it starts is
 * read-only (`default_transaction_read_only`), so a mistake here fails instead of touching the
 * old data. Times come out in UTC.
 */
export async function openOldDatabase(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'hatch import:legacy' });
  try {
    await client.connect();
  } catch (err) {
    throw new OldTableError(`Cannot connect to the old database (--from): ${(err as Error).message}`);
  }
  client.on('error', () => {}); // a dropped connection fails the next query, which is reported
  await client.query("SET default_transaction_read_only = on; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
  return client;
}

/**
 * The old `messages` table, read once, oldest message first, through a cursor in one read-only
 * snapshot: a consistent picture even while the old service still writes, whatever indexes the
 * table has. Oldest first so that each conversation's first message, which decides which side
 * is ours, is imported before the others.
 */
export class OldTable {
  private constructor(
    private readonly client: pg.Client,
    private readonly select: string,
    private readonly from: string,
  ) {}

  /** `table` may name its schema ("public.messages"); `timezone` is what the old naive timestamps meant. */
  static async open(url: string, table: string, timezone: string): Promise<OldTable> {
    const client = await openOldDatabase(url);
    try {
      await client.query('SELECT now() AT TIME ZONE $1', [timezone]).catch(() => {
        throw new OldTableError(`--timezone "${timezone}" is not a time zone Postgres knows (e.g. UTC, Europe/Paris).`);
      });
      const name = table.split('.').map((part) => pg.escapeIdentifier(part)).join('.');
      const [found] = (await client.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [name])).rows;
      if (!found?.oid) throw new OldTableError(`The old database has no table ${table}.`);
      const columns = (
        await client.query<{ name: string; type: string }>(
          'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped',
          [found.oid],
        )
      ).rows;
      if (columns.some((c) => c.name === 'provider_sid') && columns.some((c) => c.name === 'idempotency_key')) {
        throw new OldTableError(`${table} is a Hatch table, not the old service's: --from must name the old service's database.`);
      }
      const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
      const missing = OLD_COLUMNS.filter((c) => !byName.has(c));
      if (missing.length) throw new OldTableError(`${table} has no column ${missing.join(', ')}: is it the old service's messages table?`);
      const exprs = OLD_COLUMNS.map((c) => `${columnExpr(byName.get(c)!, pg.escapeLiteral(timezone))} AS ${c}`);
      const ts = pg.escapeIdentifier(byName.get('timestamp')!.name);
      const id = pg.escapeIdentifier(byName.get('id')!.name);
      return new OldTable(client, `SELECT ${exprs.join(', ')} FROM ${name} ORDER BY ${ts} NULLS LAST, ${id}`, name);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
  }

  /** Starts the snapshot and says how many rows it holds. */
  async begin(): Promise<number> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [row] = (await this.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.from}`)).rows;
    await this.client.query(`DECLARE legacy_rows NO SCROLL CURSOR FOR ${this.select}`);
    return Number(row!.n);
  }

  /** The rows, `size` at a time, in the snapshot `begin` started. */
  async *batches(size: number): AsyncGenerator<OldRow[]> {
    for (;;) {
      const { rows } = await this.client.query<OldRow>(`FETCH ${Math.max(1, Math.floor(size))} FROM legacy_rows`);
      if (rows.length) yield rows;
      if (rows.length < size) return;
    }
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
    await this.client.end().catch(() => {});
  }
}

/** How each column is read: text as text (bytes as they are, decoded later), times in UTC. */
function columnExpr(column: { name: string; type: string }, timezone: string): string {
  const col = pg.escapeIdentifier(column.name);
  const name = column.name.toLowerCase();
  if (name === 'timestamp') {
    if (column.type.startsWith('timestamp without')) return `(${col} AT TIME ZONE ${timezone})::text`;
    if (column.type.startsWith('timestamp with')) return `${col}::text`;
    if (column.type === 'date') return `(${col}::timestamp AT TIME ZONE ${timezone})::text`;
    throw new OldTableError(`The column "timestamp" is of type ${column.type}; the importer reads timestamp, timestamptz or date.`);
  }
  if (TEXT_COLUMNS.has(name) && column.type === 'bytea') return col;
  return `${col}::text`;
}
