import type { Database } from '../../db/database.ts';
import { Prisma, type Message } from '../../generated/prisma/client.ts';
import { isOptedOut } from '../sms/contacts.ts';
import { conversationId, sortParticipants } from '../conversations/conversation-id.ts';
import { parseSendInput, type SendInput, type UserErrorShape } from './send-input.ts';

export interface SendResult {
  message: Message | null;
  errors: UserErrorShape[];
}

export interface MessagesConfig {
  /** Default sender of an SMS. */
  smsFrom: string;
  /** Default sender of a stored-only message. */
  operatorName: string;
}

export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly config: MessagesConfig,
    /** Told after an SMS is committed, so the outbox sends it without waiting for its next poll. */
    private readonly onSmsQueued: () => void = () => {},
  ) {}

  async send(input: SendInput): Promise<SendResult> {
    const parsed = parseSendInput(input);
    if (!parsed.ok) return { message: null, errors: parsed.errors };
    const { route, body, idempotencyKey } = parsed.value;
    const sms = route.channel === 'SMS';
    const from = parsed.value.from ?? (sms ? this.config.smsFrom : this.config.operatorName);
    if (from === route.to) {
      return fail('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.');
    }

    if (idempotencyKey) {
      const existing = await this.db.prisma.message.findUnique({ where: { idempotencyKey } });
      if (existing) return replay(existing, route.to, body);
    }

    if (sms && (await isOptedOut(this.db, route.to))) {
      return fail('to', 'OPTED_OUT', `${route.to} has replied STOP and receives no SMS until they reply START.`);
    }

    const id = conversationId(from, route.to);
    const [participantA, participantB] = sortParticipants(from, route.to);
    try {
      const message = await this.db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "conversations" ("id", "participant_a", "participant_b")
          VALUES (${id}::uuid, ${participantA}, ${participantB}) ON CONFLICT ("id") DO NOTHING`;
        const created = await tx.message.create({
          data: {
            conversationId: id,
            from,
            to: route.to,
            body,
            direction: 'OUTBOUND',
            channel: route.channel,
            status: sms ? 'QUEUED' : 'STORED',
            idempotencyKey,
          },
        });
        if (sms) await tx.smsOutbox.create({ data: { messageId: created.id } });
        return created;
      });
      if (sms) this.onSmsQueued();
      return { message, errors: [] };
    } catch (err) {
      // Two requests with the same key raced past the check above: the loser returns the winner's message.
      if (idempotencyKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        const existing = await this.db.prisma.message.findUnique({ where: { idempotencyKey } });
        if (existing) return replay(existing, route.to, body);
      }
      throw err;
    }
  }
}

function fail(field: string, code: string, message: string): SendResult {
  return { message: null, errors: [{ field, code, message }] };
}

/** A retried request gets the original message; the same key for a different message is a client bug. */
function replay(existing: Message, to: string, body: string): SendResult {
  if (existing.to !== to || existing.body !== body) {
    return fail('idempotencyKey', 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different message.');
  }
  return { message: existing, errors: [] };
}
