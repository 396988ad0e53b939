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
export interface Database extends SqlDatabase {
  readonly prisma: PrismaClient;
}

/**
 * A database without the Prisma client: what the migrator and the commands use. Loading Prisma's
 * client and its driver adapter takes longer than such a command's own work.
 */
export interface SqlDatabase extends Sql {
  /** Runs `fn` on one connection, so that a session-level advisory lock holds across it. */
  withConnection<T>(fn: (conn: Sql) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a channel; resolves once the LISTEN is in place. `onReconnect` is called after
   * the LISTEN connection was lost and is back: notifications sent meanwhile are gone.
   */
  listen(channel: string, handler: NotificationHandler, onReconnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Calls `hook` after each write of messages or conversations this process commits (the writes the
   * change feed records): in a transaction, or a single statement. The write's own promise resolves only once
   * the hook's has, so what depends on the write being fully done (its change numbered in the
   * feed) is done when the caller goes on. Returns the way to remove it.
   */
  afterCommit(hook: () => Promise<void>): () => void;
  /** True while the LISTEN connection is up. */
  listenerAlive(): boolean;
  /** Connections of the pool (a Postgres server); undefined for the embedded database's one. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/**
 * A statement that writes a table the change feed records (its triggers fire only for statements
 * naming those tables). Anything else (the outbox's claims, sessions, the feed's own numbering)
 * does not need the hook.
 */
const FEED_WRITE = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+"?(messages|conversations)"?[\s(]/i;

/** The hooks run after a committed write (see Database.afterCommit). */
export function commitHooks() {
  const hooks = new Set<() => Promise<void>>();
  return {
    add(hook: () => Promise<void>): () => void {
      hooks.add(hook);
      return () => void hooks.delete(hook);
    },
    /** Whether `sql` writes what the hooks are for. */
    writes: (sql: string) => hooks.size > 0 && FEED_WRITE.test(sql),
    async run(): Promise<void> {
      for (const hook of hooks) await hook();
    },
    /** After a single statement: the hooks when it wrote what they are for. */
    async after(sql: string): Promise<void> {
      if (this.writes(sql)) await this.run();
    },
  };
}

/** `db` with a Prisma client on its connections; closing it disconnects Prisma, then the database. */
export function withPrisma(db: SqlDatabase, prisma: PrismaClient): Database {
  return {
    ...db,
    prisma,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
