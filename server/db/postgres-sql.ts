import pg from 'pg';
import type { Log } from '../logger.ts';
import { commitHooks, type NotificationHandler, type Sql, type SqlDatabase } from './database.ts';

const LISTEN_RETRY_MS = 1000;

/**
 * Postgres server: a pool for queries and one dedicated connection for LISTEN, reconnected if it
 * drops. The pool is returned too, for Prisma's adapter (./postgres.ts).
 */
export function createPostgresSql(url: string, log: Log): { db: SqlDatabase; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (err) => log.warn({ err }, 'idle database connection failed'));

  const handlers = new Map<string, Set<NotificationHandler>>();
  const reconnectHandlers = new Set<() => void>();
  let lost = false;
  let listener: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (msg) => {
      for (const handler of handlers.get(msg.channel) ?? []) handler(msg.payload ?? '');
    });
    client.on('error', (err) => log.warn({ err }, 'LISTEN connection failed'));
    client.on('end', () => {
      if (listener !== client) return;
      listener = undefined;
      if (closed) return;
      lost = true;
      log.warn('LISTEN connection lost; reconnecting');
      scheduleReconnect();
    });
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    listener = client;
    if (lost) {
      lost = false;
      log.info('LISTEN connection restored');
      reconnectHandlers.forEach((h) => h());
    }
  }

  function scheduleReconnect(): void {
    setTimeout(() => {
      if (closed || listener) return;
      ensureListener().catch((err) => {
        log.warn({ err }, 'LISTEN reconnect failed; retrying');
        scheduleReconnect();
      });
    }, LISTEN_RETRY_MS).unref();
  }

  function ensureListener(): Promise<void> {
    if (listener) return Promise.resolve();
    connecting ??= connectListener().finally(() => (connecting = undefined));
    return connecting;
  }

  async function withConnection<T>(fn: (conn: Sql) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // While a client is checked out, an error between two of our queries (the server restarting,
    // the connection cut) is ours to handle: without a listener it would be an uncaught exception.
    // The next query fails with it anyway; the client is then discarded, not pooled again.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
      log.warn({ err }, 'a database connection failed while in use');
    };
    client.on('error', onError);
    try {
      return await fn({
        exec: async (sql) => void (await client.query(sql)),
        query: async <R,>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      });
    } catch (err) {
      broken ??= err as Error;
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken && isConnectionError(broken) ? broken : undefined);
    }
  }

  const committed = commitHooks();
  const query = async <T,>(sql: string, params: unknown[] = []) => {
    const rows = (await pool.query(sql, params)).rows as T[];
    await committed.after(sql);
    return rows;
  };

  const db: SqlDatabase = {
    async exec(sql) {
      await pool.query(sql);
      await committed.after(sql);
    },
    query,
    withConnection,
    async transaction(fn) {
      let wrote = false;
      const result = await withConnection(async (conn) => {
        const watched: Sql = {
          exec: (sql) => ((wrote ||= committed.writes(sql)), conn.exec(sql)),
          query: (sql, params) => ((wrote ||= committed.writes(sql)), conn.query(sql, params)),
        };
        await conn.exec('BEGIN');
        try {
          const result = await fn(watched);
          await conn.exec('COMMIT');
          return result;
        } catch (err) {
          await conn.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      });
      // Committed, and the connection back in the pool: what follows a write may use it.
      if (wrote) await committed.run();
      return result;
    },
    afterCommit: (hook) => committed.add(hook),
    async listen(channel, handler, onReconnect) {
      if (onReconnect) reconnectHandlers.add(onReconnect);
      const isNew = !handlers.has(channel);
      if (isNew) handlers.set(channel, new Set());
      handlers.get(channel)!.add(handler);
      await ensureListener();
      if (isNew && listener) await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        if (onReconnect) reconnectHandlers.delete(onReconnect);
        const set = handlers.get(channel);
        set?.delete(handler);
        if (set && set.size === 0) {
          handlers.delete(channel);
          await listener?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    listenerAlive: () => listener !== undefined,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      closed = true;
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => {});
      await pool.end();
    },
  };
  return { db, pool };
}

/** Errors after which a connection cannot be trusted again (as opposed to a failed statement). */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: string }).code;
  return !code || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}
