import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

// Read by Prisma (Message.media); written here.
export const messageMediaColumns = tableColumns('message_media', ['id', 'message_id', 'position', 'url', 'content_type'] as const, ['id'] as const);

/** An inbound MMS's media, in the order the provider listed them. */
export async function insertMedia(tx: Pick<Sql, 'query'>, messageId: string, media: { url: string; contentType: string | null }[]): Promise<void> {
  for (const [position, m] of media.entries()) {
    await tx.query(`INSERT INTO "message_media" ("message_id", "position", "url", "content_type") VALUES ($1, $2, $3, $4)`, [messageId, position, m.url, m.contentType]);
  }
}
