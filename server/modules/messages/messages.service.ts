import type { Database } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { userError, type UserErrorShape } from '../../schema/errors.ts';
import { isOptedOut } from '../contacts/contacts.service.ts';
import { ensureConversation } from '../conversations/conversations.service.ts';
import { messageFromRow } from './message-row.ts';
import { parseSendInput, type SendInput } from './send-input.ts';

export interface SendResult {
  message: Message | null;
  errors: UserErrorShape[];
}

/** Who a message is from when a request does not say. */
export interface SenderDefaults {
  /** Default sender of an SMS. */
  smsFrom: string;
  /** Default sender of a stored-only message. */
  operatorName: string;
}

const UNIQUE_VIOLATION = '23505';

export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly senders: SenderDefaults,
    /** Told after an SMS is committed, so the outbox sends it without waiting for its next poll. */
    private readonly onSmsQueued: () => void = () => {},
  ) {}

  async send(input: SendInput): Promise<SendResult> {
    const parsed = parseSendInput(input);
    if (!parsed.ok) return { message: null, errors: parsed.errors };
    const { route, body, idempotencyKey } = parsed.value;
    const sms = route.channel === 'SMS';
    const from = parsed.value.from ?? (sms ? this.senders.smsFrom : this.senders.operatorName);
    if (from === route.to) {
      return fail('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.');
    }

    if (idempotencyKey) {
      const existing = await this.findByKey(idempotencyKey);
      if (existing) return replay(existing, route.to, body);
    }

    if (sms && (await isOptedOut(this.db, route.to))) {
      return fail('to', 'OPTED_OUT', `${route.to} has replied STOP and receives no SMS until they reply START.`);
    }

    try {
      const message = await this.db.transaction(async (tx) => {
        const conversationId = await ensureConversation(tx, from, route.to);
        const [row] = await tx.query(
          `INSERT INTO "messages" ("conversation_id", "from", "to", "body", "direction", "channel", "status", "idempotency_key")
           VALUES ($1, $2, $3, $4, 'OUTBOUND', $5, $6, $7) RETURNING *`,
          [conversationId, from, route.to, body, route.channel, sms ? 'QUEUED' : 'STORED', idempotencyKey ?? null],
        );
        const created = messageFromRow(row!);
        if (sms) await tx.query('INSERT INTO "sms_outbox" ("message_id") VALUES ($1)', [created.id]);
        return created;
      });
      if (sms) this.onSmsQueued();
      return { message, errors: [] };
    } catch (err) {
      // Two requests with the same key raced past the check above: the loser returns the winner's message.
      if (idempotencyKey && (err as { code?: string }).code === UNIQUE_VIOLATION) {
        const existing = await this.findByKey(idempotencyKey);
        if (existing) return replay(existing, route.to, body);
      }
      throw err;
    }
  }

  private async findByKey(idempotencyKey: string): Promise<Message | undefined> {
    const [row] = await this.db.query('SELECT * FROM "messages" WHERE "idempotency_key" = $1', [idempotencyKey]);
    return row ? messageFromRow(row) : undefined;
  }
}

function fail(field: string, code: string, message: string): SendResult {
  return { message: null, errors: [userError(field, code, message)] };
}

/** A retried request gets the original message; the same key for a different message is a client bug. */
function replay(existing: Message, to: string, body: string): SendResult {
  if (existing.to !== to || existing.body !== body) {
    return fail('idempotencyKey', 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different message.');
  }
  return { message: existing, errors: [] };
}
