import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { withPrisma, type Database } from './database.ts';
import { createEmbeddedSql } from './embedded-sql.ts';

/** The embedded database (see ./embedded-sql.ts), with Prisma's client on its one connection. */
export async function createEmbeddedDatabase(dataDir: string | undefined): Promise<Database> {
  const { db, pglite } = await createEmbeddedSql(dataDir);
  return withPrisma(db, new PrismaClient({ adapter: new PrismaPGlite(pglite) }));
}
