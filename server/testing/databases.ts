import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { Database } from '../db/database.ts';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { createPostgresDatabase } from '../db/postgres.ts';

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestDatabaseKind {
  name: 'embedded' | 'postgres';
  /** A fresh, empty database; closing it drops it. */
  open(): Promise<Database>;
  /**
   * A fresh database that can be closed and opened again (a server restart); `env` points a server
   * process at it; `drop` removes it.
   */
  durable(): Promise<DurableDatabase>;
}

export interface DurableDatabase {
  connect(): Promise<Database>;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const embeddedDatabase: TestDatabaseKind = {
  name: 'embedded',
  open: () => createEmbeddedDatabase(undefined),
  async durable() {
    const dir = mkdtempSync(path.join(tmpdir(), 'hatch-db-'));
    return {
      connect: () => createEmbeddedDatabase(dir),
      env: { HATCH_DATA_DIR: dir },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** Creates a database of its own on the server at `adminUrl` and drops it when closed. */
export async function createTempPostgres(adminUrl: string): Promise<Database> {
  const { connect, drop } = await durablePostgres(adminUrl);
  const db = await connect();
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      await drop();
    },
  });
}

/** A new, empty database on the server at `adminUrl`, named `<prefix>_<random>`, and how to drop it. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function durablePostgres(adminUrl: string): Promise<DurableDatabase> {
  const { url, drop } = await createScratchDatabase(adminUrl, 'hatch_test');
  return { connect: async () => createPostgresDatabase(url, silentLog), env: { DATABASE_URL: url }, drop };
}

/**
 * The databases every server test runs against: always the embedded one, and a real Postgres
 * server too when TEST_DATABASE_URL is set (CI sets it).
 */
export function testDatabases(): TestDatabaseKind[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [embeddedDatabase, { name: 'postgres', open: () => createTempPostgres(url), durable: () => durablePostgres(url) }] : [embeddedDatabase];
}
