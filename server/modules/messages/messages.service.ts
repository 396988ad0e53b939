import type { Database, Sql } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import type { SenderDefaults, SendLimits } from '../../config.ts';
import { countryOf } from '../../lib/phone.ts';
import { isUuid, userError, type UserErrorCode, type UserErrorShape } from '../../lib/errors.ts';
import { isStorable } from '../../lib/text.ts';
import type { Author } from '../access/principal.ts';
import { optOutOf } from '../contacts/contacts.service.ts';
import { optOutText } from '../contacts/opt-out-text.ts';
import { ensureConversation, existingSpelling } from '../conversations/conversations.service.ts';
import { participantsOf } from '../../db/tables/conversations.ts';
import { insertOutbound, messageByIdempotencyKey, sentInLastMinute } from '../../db/tables/messages.ts';
import { enqueue } from '../../db/tables/sms-outbox.ts';
import { parseSendInput, type SendInput } from './send-input.ts';

export interface SendResult {
  message: Message | null;
  errors: UserErrorShape[];
}

const UNIQUE_VIOLATION = '23505';

export class MessagesService {
  constructor(
    private readonly db: Database,
    /** Who sends when a request does not say, and how typed numbers are read: also what the inbox shows. */
    readonly senders: SenderDefaults,
    readonly limits: SendLimits,
    /** Told after an SMS is committed, so the outbox sends it without waiting for its next poll. */
    private readonly onSmsQueued: () => void = () => {},
    /** Who hands SMS over ('twilio', or 'simulator' without credentials): the inbox says which. */
    readonly smsProvider: string = 'simulator',
  ) {}

  /** Sends (or stores) one message written by `author`. Every refusal writes nothing. */
  async send(input: SendInput, author: Author): Promise<SendResult> {
    const addressed = await this.address(input);
    if ('errors' in addressed) return { message: null, errors: addressed.errors };
    const parsed = parseSendInput({ ...input, ...addressed }, { defaultCountry: this.senders.defaultCountry, stored: input.conversationId != null });
    if (!parsed.ok) return { message: null, errors: parsed.errors };
    const { body, idempotencyKey } = parsed.value;
    let route = parsed.value.route;
    const sms = route.channel === 'SMS';
    const from = parsed.value.from ?? (sms ? this.senders.smsFrom : this.senders.operatorName);
    if (!sms && input.conversationId == null) {
      // A name in another case is the same person: "alice" goes where "Alice" already is.
      const spelt = await existingSpelling(this.db, from, route.to);
      if (spelt) route = { ...route, to: spelt };
    }
    if (from.toLowerCase() === route.to.toLowerCase()) {
      return fail('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.');
    }

    if (sms && this.limits.countries !== 'any') {
      const country = countryOf(route.to);
      if (!country || !this.limits.countries.includes(country)) {
        return fail('to', 'DESTINATION_NOT_ALLOWED', `SMS to ${country ?? 'this country'} is not allowed here (SMS_ALLOWED_COUNTRIES: ${this.limits.countries.join(', ')}).`);
      }
    }

    if (idempotencyKey) {
      const existing = await this.findByKey(idempotencyKey);
      if (existing) return replay(existing, from, route.to, body);
    }

    const optedOut = sms ? await optOutOf(this.db, route.to) : undefined;
    if (optedOut) return fail('to', 'OPTED_OUT', optOutText(route.to, optedOut.reason));

    try {
      const outcome = await this.db.transaction(async (tx) => {
        const wait = await this.overLimit(tx, author);
        if (wait !== undefined) return { wait };
        const conversationId = await ensureConversation(tx, from, route.to);
        const created = await insertOutbound(tx, {
          conversationId,
          from,
          to: route.to,
          body,
          channel: route.channel,
          status: sms ? 'QUEUED' : 'STORED',
          idempotencyKey: idempotencyKey ?? null,
          author,
        });
        if (sms) await enqueue(tx, created.id);
        return { created };
      });
      if ('wait' in outcome) {
        const error = userError(null, 'RATE_LIMITED', `Sending limit reached: ${this.limits.perMinute} messages a minute. Try again in ${outcome.wait} s.`);
        return { message: null, errors: [{ ...error, retryAfterSeconds: outcome.wait }] };
      }
      if (sms) this.onSmsQueued();
      return { message: outcome.created, errors: [] };
    } catch (err) {
      // Two requests with the same key raced past the check above: the loser returns the winner's message.
      if (idempotencyKey && (err as { code?: string }).code === UNIQUE_VIOLATION) {
        const existing = await this.findByKey(idempotencyKey);
        if (existing) return replay(existing, from, route.to, body);
      }
      throw err;
    }
  }

  /**
   * A reply in a conversation is addressed by the conversation: from our side to the other. Where
   * neither side is ours (imported data), `from` must say which participant sends.
   */
  private async address(input: SendInput): Promise<{ to?: string | null; from?: string | null } | { errors: UserErrorShape[] }> {
    if (input.conversationId == null) {
      return input.to == null ? { errors: [userError('to', 'INVALID_RECIPIENT', 'Give a recipient (`to`) or a conversation to reply in (`conversationId`).')] } : {};
    }
    if (!isStorable(input.conversationId)) return { errors: [userError('conversationId', 'NOT_FOUND', 'No such conversation.')] };
    const id = input.conversationId;
    const c = isUuid(id) ? await participantsOf(this.db, id.toLowerCase()) : undefined;
    if (!c) return { errors: [userError('conversationId', 'NOT_FOUND', `No conversation with id "${id}".`)] };
    const participants = [c.participantA, c.participantB];
    const from = input.from?.trim() || c.ours;
    if (!from || !participants.includes(from)) {
      const message = from
        ? `"${from}" is not a participant of this conversation.`
        : `Neither ${participants.join(' nor ')} is this inbox's side of this conversation: say which one sends (\`from\`).`;
      return { errors: [userError('from', 'INVALID_SENDER', message)] };
    }
    const to = from === c.participantA ? c.participantB : c.participantA;
    if (input.to != null && input.to.trim() !== to) {
      return { errors: [userError('to', 'INVALID_RECIPIENT', `A reply in this conversation goes to ${to}.`)] };
    }
    return { to, from };
  }

  /** Seconds until `author` may send again, or undefined when they are within the limit. */
  private async overLimit(tx: Pick<Sql, 'query'>, author: Author): Promise<number | undefined> {
    if (!this.limits.perMinute || !author.id) return undefined;
    // One sender's sends are counted one at a time, so concurrent requests cannot all slip under.
    const { n, oldest } = await sentInLastMinute(tx, author.id);
    if (n < this.limits.perMinute) return undefined;
    return Math.max(1, Math.ceil((oldest!.getTime() + 60_000 - Date.now()) / 1000));
  }

  private findByKey(idempotencyKey: string): Promise<Message | undefined> {
    return messageByIdempotencyKey(this.db, idempotencyKey);
  }
}

function fail(field: string, code: UserErrorCode, message: string): SendResult {
  return { message: null, errors: [userError(field, code, message)] };
}

/** A retried request gets the original message; the same key for a different message is a client bug. */
function replay(existing: Message, from: string, to: string, body: string): SendResult {
  if (existing.from !== from || existing.to !== to || existing.body !== body) {
    return fail('idempotencyKey', 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different message.');
  }
  return { message: existing, errors: [] };
}
