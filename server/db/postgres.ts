import { PrismaPg } from '@prisma/adapter-pg';
import type { Logger } from 'pino';
import { PrismaClient } from '../generated/prisma/client.ts';
import { withPrisma, type Database } from './database.ts';
import { createPostgresSql } from './postgres-sql.ts';

/** A Postgres server, with Prisma's client on the same pool. */
export function createPostgresDatabase(url: string, log: Logger): Database {
  const { db, pool } = createPostgresSql(url, log);
  return withPrisma(db, new PrismaClient({ adapter: new PrismaPg(pool) }));
}
