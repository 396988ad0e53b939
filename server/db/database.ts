import type { PrismaClient } from '../generated/prisma/client.ts';

/** A notification as Postgres delivers it to a LISTEN. */
export type NotificationHandler = (payload: string) => void;

/** Plain SQL on one connection. */
export interface Sql {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * What the rest of the server needs from a database, whichever one it is: the Prisma client for
 * queries, plain SQL for writes on the hot path, the migrator and checks, and one LISTEN for the
 * realtime bridge.
 */
export interface Database extends Sql {
  readonly prisma: PrismaClient;
  /** Runs `fn` on one connection, so that a session-level advisory lock holds across it. */
  withConnection<T>(fn: (conn: Sql) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a channel; resolves once the LISTEN is in place. `onReconnect` is called after
   * the LISTEN connection was lost and is back: notifications sent meanwhile are gone.
   */
  listen(channel: string, handler: NotificationHandler, onReconnect?: () => void): Promise<() => Promise<void>>;
  /** True while the LISTEN connection is up. */
  listenerAlive(): boolean;
  /** Connections of the pool (a Postgres server); undefined for the embedded database's one. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}
