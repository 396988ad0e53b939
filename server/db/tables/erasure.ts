import type { Sql } from '../database.ts';
import { forgetDeliveriesOf } from './webhooks.ts';

type Query = Pick<Sql, 'query'>;

export interface ErasureCounts {
  conversations: number;
  messages: number;
  notes: number;
}

/** The conversations with `address` (in any case) on the other side. */
const CONVERSATIONS = `SELECT "id" FROM "conversations" WHERE lower("participant_a") = lower($1) OR lower("participant_b") = lower($1)`;

/** What erasing `address` would delete. */
export async function erasureCounts(sql: Query, address: string): Promise<ErasureCounts> {
  const [row] = await sql.query<ErasureCounts>(
    `WITH c AS (${CONVERSATIONS})
     SELECT (SELECT count(*) FROM c)::int AS conversations,
            (SELECT count(*) FROM "messages" WHERE "conversation_id" IN (SELECT "id" FROM c))::int AS messages,
            (SELECT count(*) FROM "notes" WHERE "conversation_id" IN (SELECT "id" FROM c))::int AS notes`,
    [address],
  );
  return row!;
}

/**
 * Deletes everything held about `address`: its conversations with their messages, media, delivery
 * reports, outbox entries, notes, mentions and read state, and the change feed's copies of them.
 * The feed keeps, for each message, only that it was deleted (its id and conversation), so open
 * windows and resuming clients drop it; a copy of a message's or conversation's content is kept
 * nowhere. The contact's row goes too, except that an opted-out number stays on the list of
 * numbers never to text (its name and notes cleared): forgetting the person must not start texting
 * them again. In the caller's transaction.
 */
export async function eraseAddress(tx: Query, address: string): Promise<ErasureCounts> {
  const counts = await erasureCounts(tx, address);
  const ids = (await tx.query<{ id: string }>(`${CONVERSATIONS} FOR UPDATE`, [address])).map((r) => r.id);
  if (ids.length) {
    await tx.query(
      `DELETE FROM "message_status_events" WHERE "provider_sid" IN (SELECT "provider_sid" FROM "messages" WHERE "conversation_id" = ANY($1::uuid[]) AND "provider_sid" IS NOT NULL)`,
      [ids],
    );
    await tx.query(`DELETE FROM "sms_outbox" WHERE "message_id" IN (SELECT "id" FROM "messages" WHERE "conversation_id" = ANY($1::uuid[]))`, [ids]);
    // Each message's DELETE is recorded in the feed by its trigger, with a copy of the row: the
    // copies are emptied below, and every earlier change to these messages goes.
    await tx.query(`DELETE FROM "messages" WHERE "conversation_id" = ANY($1::uuid[])`, [ids]);
    await tx.query(`DELETE FROM "message_changes" WHERE "conversation_id" = ANY($1::uuid[]) AND "action" <> 'DELETE'`, [ids]);
    await tx.query(
      `UPDATE "message_changes" SET "row" = jsonb_build_object('id', "message_id", 'conversation_id', "conversation_id") WHERE "conversation_id" = ANY($1::uuid[])`,
      [ids],
    );
    await tx.query(`DELETE FROM "conversation_changes" WHERE "conversation_id" = ANY($1::uuid[])`, [ids]);
  }
  // Webhook deliveries carry the messages, notes and contact too (their log, and those still to send).
  await forgetDeliveriesOf(tx, ids, address);
  if (ids.length) await tx.query(`DELETE FROM "conversations" WHERE "id" = ANY($1::uuid[])`, [ids]);
  await tx.query(`DELETE FROM "contacts" WHERE lower("address") = lower($1) AND NOT "opted_out"`, [address]);
  await tx.query(`UPDATE "contacts" SET "name" = NULL, "notes" = NULL, "person_id" = NULL, "updated_at" = now() WHERE lower("address") = lower($1)`, [address]);
  // The contact's changes (the one just written by the update above included) go with them.
  await tx.query(`DELETE FROM "contact_changes" WHERE lower("address") = lower($1)`, [address]);
  return counts;
}
