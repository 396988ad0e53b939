import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

// Written with its message (sendInOneStatement in messages.ts); a row waits here from the send's
// commit until the provider has the message (or it failed for good).
export const outboxColumns = tableColumns(
  'sms_outbox',
  ['message_id', 'attempts', 'next_attempt_at', 'lease_until', 'last_error', 'in_doubt', 'created_at', 'content'] as const,
  // A new row is due now, unclaimed, never tried; free text unless a template is given.
  ['attempts', 'next_attempt_at', 'lease_until', 'last_error', 'in_doubt', 'created_at', 'content'] as const,
);

/** A row claimed for one attempt, with the message to send. */
export interface Claimed {
  messageId: string;
  attempts: number;
  /** An earlier attempt may have reached the provider without us learning the outcome. */
  wasInDoubt: boolean;
  channel: string;
  from: string;
  to: string;
  body: string;
  createdAt: Date;
  /** The approved template to send instead of free text (WhatsApp outside its 24-hour window). */
  template?: { sid: string; variables: Record<string, string> };
}

/**
 * Claims the next due row for `leaseMs` (SKIP LOCKED: replicas never claim the same row) and marks
 * it in doubt until the provider gives a definite answer. A row still leased is not due.
 */
export async function claimNext(sql: Query, leaseMs: number): Promise<Claimed | undefined> {
  const [row] = await sql.query<{ message_id: string; attempts: number; was_in_doubt: boolean; channel: string; from: string; to: string; body: string; created_at: Date | string; content: Claimed['template'] | null }>(
    `WITH next AS (
       SELECT "message_id", "in_doubt" FROM "sms_outbox"
        WHERE "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
        ORDER BY "next_attempt_at" LIMIT 1 FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE "sms_outbox" o SET "lease_until" = now() + make_interval(secs => $1),
              "attempts" = o."attempts" + 1, "in_doubt" = true
         FROM next WHERE o."message_id" = next."message_id"
       RETURNING o."message_id", o."attempts", next."in_doubt" AS was_in_doubt, o."content"
     )
     SELECT c."message_id", c."attempts", c.was_in_doubt, c."content", m."channel", m."from", m."to", m."body", m."created_at"
       FROM claimed c JOIN "messages" m ON m."id" = c."message_id"`,
    [leaseMs / 1000],
  );
  return (
    row && {
      messageId: row.message_id,
      attempts: row.attempts,
      wasInDoubt: row.was_in_doubt,
      channel: row.channel,
      from: row.from,
      to: row.to,
      body: row.body,
      createdAt: new Date(row.created_at),
      ...(row.content ? { template: row.content } : {}),
    }
  );
}

/** Gives a claimed row back for another attempt after `delayMs`. */
export async function retryLater(sql: Query, messageId: string, error: string, delayMs: number, inDoubt: boolean): Promise<void> {
  await sql.query(
    `UPDATE "sms_outbox" SET "lease_until" = NULL, "last_error" = $2, "in_doubt" = $4,
        "next_attempt_at" = now() + make_interval(secs => $3) WHERE "message_id" = $1`,
    [messageId, error, delayMs / 1000, inDoubt],
  );
}

/** The message is the provider's now, or failed for good: it leaves the outbox. */
export async function dequeue(tx: Query, messageId: string): Promise<void> {
  await tx.query('DELETE FROM "sms_outbox" WHERE "message_id" = $1', [messageId]);
}

/** How many wait, and how long the oldest has. */
export async function waiting(sql: Query): Promise<{ n: number; ageSeconds: number | null }> {
  const [row] = await sql.query<{ n: number; age: number | null }>(`SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - MIN("created_at"))::float AS age FROM "sms_outbox"`);
  return { n: row!.n, ageSeconds: row!.age };
}
