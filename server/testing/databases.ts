import { randomBytes } from 'node:crypto';
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
}

const embedded: TestDatabaseKind = { name: 'embedded', open: () => createEmbeddedDatabase(undefined) };

/** Creates a database of its own on the server at `adminUrl` and drops it when closed. */
export async function createTempPostgres(adminUrl: string): Promise<Database> {
  const name = `hatch_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createPostgresDatabase(url.toString(), silentLog);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  });
}

/**
 * The databases every server test runs against: always the embedded one, and a real Postgres
 * server too when TEST_DATABASE_URL is set (CI sets it).
 */
export function testDatabases(): TestDatabaseKind[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [embedded, { name: 'postgres', open: () => createTempPostgres(url) }] : [embedded];
}
