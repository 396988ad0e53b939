import type { Database, Sql } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import type { SenderDefaults, SendLimits } from '../../config.ts';
import { isUuid, userError, type UserErrorCode, type UserErrorShape } from '../../lib/errors.ts';
import { isStorable } from '../../lib/text.ts';
import type { Author } from '../access/principal.ts';
import { optOutText } from '../contacts/opt-out-text.ts';
import { recipientByName } from '../contacts/contacts.service.ts';
import { conversationId, sortParticipants } from '../conversations/conversation-id.ts';
import { participantsOf } from '../../db/tables/conversations.ts';
import { messageByIdempotencyKey, sendInOneStatement, sentInLastMinute, type Send } from '../../db/tables/messages.ts';
import { destinationRefusal } from './destinations.ts';
import { keyReusedFor, parseSendInput, type SendInput } from './send-input.ts';
import type { ScheduledMessage } from '../../generated/prisma/client.ts';
import { quietFor } from '../scheduling/quiet-hours.ts';
import { changeScheduled, scheduleSend, type EditResult } from '../scheduling/schedule.ts';
import { scheduledById } from '../../db/tables/scheduled-messages.ts';
import { receivedWithinHour } from '../../db/tables/messages.ts';
import type { Channel, MessageChannel, MessageTemplate } from '../channels/channel.ts';
import { isE164, isWhatsApp, numberOf } from '../../lib/phone.ts';
import { chooseTemplate, outsideWindow, senderOn, sessionWindowEnd, type ChosenTemplate, type TemplateChoice } from './whatsapp-rules.ts';

export interface SendResult {
  message: Message | null;
  /** Set instead of `message` when the send was scheduled (`sendAt`, or quiet hours with `deferIfQuiet`). */
  scheduled?: ScheduledMessage | null;
  errors: UserErrorShape[];
}

/** A send as sendMessage takes it: now, or later. */
export interface SendRequest extends SendInput, TemplateChoice {
  /** Send then rather than now. */
  sendAt?: Date | null;
  /** In quiet hours: schedule it for when they end instead of refusing it. */
  deferIfQuiet?: boolean | null;
  /** A scheduled message going out when due (not through the API): never a reply in the moment. */
  due?: boolean;
}

/** The furthest ahead a message may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;
/** A time closer than this is not "later": send it now. */
const MIN_SCHEDULE_AHEAD_MS = 5_000;

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
    /** What time it is: tests move it to try quiet hours and scheduled sends without waiting. */
    private readonly clock: () => Date = () => new Date(),
    /** The providers' channels: WhatsApp's templates and window. */
    private readonly channels: ReadonlyMap<MessageChannel, Channel> = new Map(),
  ) {}

  /** The approved templates of a channel (WhatsApp), from the provider, kept a while. */
  templates(channel: MessageChannel): Promise<MessageTemplate[]> {
    return this.channels.get(channel)?.templates?.() ?? Promise.resolve([]);
  }

  /** How long after the customer's last message free text may go to `to` (WhatsApp's window); undefined: always. */
  freeTextWindowMs(to: string): number | undefined {
    return isWhatsApp(to) ? this.channels.get('WHATSAPP')?.sessionWindowMs : undefined;
  }

  /** Until when free text may be sent in a conversation with `to` (WhatsApp's window); undefined where it never ends, null once closed. */
  async freeTextUntil(conversationId: string, to: string): Promise<Date | null | undefined> {
    const windowMs = this.freeTextWindowMs(to);
    return windowMs === undefined ? undefined : sessionWindowEnd(this.db, conversationId, windowMs);
  }

  /**
   * Sends (or stores) one message written by `author`, or schedules it (`sendAt`, or quiet hours
   * with `deferIfQuiet`). Every refusal writes nothing.
   */
  async send(input: SendRequest, author: Author): Promise<SendResult> {
    const addressed = await this.address(input);
    if ('errors' in addressed) return { message: null, errors: addressed.errors };
    let { ours, ...route0 } = addressed;
    // Replying on the other channel of the same number (SMS in a WhatsApp thread, or the reverse)
    // goes to that channel's own thread, from our sender there.
    if (input.channel && input.conversationId != null && route0.to && channelOfAddress(route0.to) !== 'INTERNAL' && channelOfAddress(route0.to) !== input.channel) {
      route0 = { to: numberOf(route0.to), from: input.from ?? null };
      ours = null;
    }
    // A template's text is the message's body: what the customer reads and the thread shows.
    let template: ChosenTemplate | undefined;
    if (input.contentSid != null) {
      const chosen = await chooseTemplate(this.channels.get('WHATSAPP'), input);
      if ('errors' in chosen) return { message: null, errors: chosen.errors };
      template = chosen;
    }
    const parsed = parseSendInput(
      { ...input, ...route0, body: template?.body ?? input.body ?? '' },
      { defaultCountry: this.senders.defaultCountry, stored: input.conversationId != null },
    );
    if (!parsed.ok) return { message: null, errors: parsed.errors };
    const { body, idempotencyKey, route } = parsed.value;
    const viaProvider = route.channel !== 'INTERNAL';
    if (template && route.channel !== 'WHATSAPP') return fail('contentSid', 'INVALID_TEMPLATE', 'Templates are sent on WhatsApp only; write the message instead.');
    if (template && input.sendAt) return fail('sendAt', 'INVALID_INPUT', 'A template is sent at once; it cannot be scheduled.');
    const sender = route.channel === 'INTERNAL' ? { from: this.senders.operatorName } : senderOn(route.channel, this.senders);
    if ('error' in sender) return { message: null, errors: [sender.error] };
    const ourSender = sender.from;
    const from = parsed.value.from ?? ourSender;
    // In any case: "alice" is the conversation with "Alice" (the spelling is matched when writing).
    // A message goes from one of our numbers: the configured sender, or our side of the conversation
    // replied in. Anything else (a contact's number) would be a forged sender.
    if (viaProvider && from !== ourSender && from !== ours) {
      const what = route.channel === 'SMS' ? 'An SMS' : 'A WhatsApp message';
      return fail('from', 'INVALID_SENDER', `${what} is sent from this inbox's number (${ourSender}), not from "${from}".`);
    }
    if (from.toLowerCase() === route.to.toLowerCase()) {
      return fail('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.');
    }
    if (viaProvider) {
      const refused = destinationRefusal(numberOf(route.to), this.limits);
      if (refused) return { message: null, errors: [refused] };
    }
    const now = this.clock();
    let sendAt = input.sendAt ?? null;
    const badTime = sendAt && sendAtRefusal(sendAt, now);
    if (badTime) return { message: null, errors: [badTime] };
    if (viaProvider && this.limits.quietHours) {
      const quiet = await quietFor(numberOf(route.to), sendAt ?? now, this.limits.quietHours);
      // A reply to someone who wrote within the hour is not a 3 a.m. surprise: it goes.
      if (quiet && (sendAt || input.due || !(await receivedWithinHour(this.db, conversationId(from, route.to))))) {
        if (!input.deferIfQuiet) return quietHoursError(route.to, quiet);
        sendAt = quiet.until;
      }
    }
    // WhatsApp's window is judged when the message goes: a scheduled one when it is due.
    if (route.channel === 'WHATSAPP' && !template && !sendAt) {
      const until = await this.freeTextUntil(conversationId(from, route.to), route.to);
      if (!until || until.getTime() <= now.getTime()) return { message: null, errors: [outsideWindow(route.to, until ?? null)] };
    }

    const [participantA, participantB] = sortParticipants(from, route.to);
    if (sendAt) {
      return scheduleSend(this.db, {
        conversation: { id: conversationId(from, route.to), participantA, participantB, ours: from },
        from,
        to: route.to,
        body,
        channel: route.channel,
        sendAt,
        idempotencyKey: idempotencyKey ?? null,
        author,
      });
    }
    const write: Send = {
      conversation: { id: conversationId(from, route.to), participantA, participantB },
      from,
      to: route.to,
      body,
      channel: route.channel,
      status: viaProvider ? 'QUEUED' : 'STORED',
      idempotencyKey: idempotencyKey ?? null,
      author,
      matchSpelling: !viaProvider && input.conversationId == null,
      checkOptOut: viaProvider,
      queue: viaProvider,
      template: template && { sid: template.sid, variables: template.variables },
    };
    try {
      // One statement, one round trip, unless sends are counted per author: then the count and the
      // write share a transaction. A retry with its idempotency key is answered before the count.
      const limited = this.limits.perMinute > 0 && author.id !== null;
      if (limited && idempotencyKey) {
        const existing = await messageByIdempotencyKey(this.db, idempotencyKey, author.id ?? null);
        if (existing) return replay(existing, from, existing.to.toLowerCase() === route.to.toLowerCase() ? existing.to : route.to, body);
      }
      const outcome = limited
        ? await this.db.transaction(async (tx) => {
            const wait = await this.overLimit(tx, author);
            return wait === undefined ? await sendInOneStatement(tx, write) : { kind: 'wait' as const, wait };
          })
        : await sendInOneStatement(this.db, write);
      switch (outcome.kind) {
        case 'wait': {
          const error = userError(null, 'RATE_LIMITED', `Sending limit reached: ${this.limits.perMinute} messages a minute. Try again in ${outcome.wait} s.`);
          return { message: null, errors: [{ ...error, retryAfterSeconds: outcome.wait }] };
        }
        case 'existing':
          return replay(outcome.message, from, outcome.to, body);
        case 'opted-out':
          return fail('to', 'OPTED_OUT', optOutText(route.to, outcome.reason));
        case 'created':
          if (viaProvider) this.onSmsQueued();
          return { message: outcome.message, errors: [] };
      }
    } catch (err) {
      // Two requests with the same key raced: the loser returns the winner's message.
      if (idempotencyKey && (err as { code?: string }).code === UNIQUE_VIOLATION) {
        const existing = await this.findByKey(idempotencyKey, author);
        if (existing) return replay(existing, from, existing.to.toLowerCase() === route.to.toLowerCase() ? existing.to : route.to, body);
      }
      throw err;
    }
  }

  /**
   * Changes what a scheduled message says or when it goes, or cancels it (a failed one is
   * dismissed so). The new text and time are checked as a send's would be, quiet hours included.
   */
  async changeScheduled(by: Author, id: string, change: { body?: string | null; sendAt?: Date | null; cancel?: boolean | null }): Promise<EditResult> {
    if (change.cancel) return changeScheduled(this.db, by, id, { cancel: true });
    const errors: UserErrorShape[] = [];
    if (change.body != null) {
      const parsed = parseSendInput({ to: 'Someone', body: change.body }, { stored: true });
      if (!parsed.ok) errors.push(...parsed.errors.filter((e) => e.field === 'body'));
    }
    const badTime = change.sendAt && sendAtRefusal(change.sendAt, this.clock());
    if (badTime) errors.push(badTime);
    else if (change.sendAt && this.limits.quietHours && isUuid(id)) {
      const s = await scheduledById(this.db, id);
      const quiet = s && s.channel !== 'INTERNAL' ? await quietFor(numberOf(s.to), change.sendAt, this.limits.quietHours) : undefined;
      if (quiet) errors.push(...quietHoursError(s!.to, quiet).errors.map((e) => ({ ...e, field: 'sendAt' })));
    }
    if (errors.length) return { scheduled: null, errors };
    return changeScheduled(this.db, by, id, { body: change.body ?? undefined, sendAt: change.sendAt ?? undefined });
  }

  /**
   * A reply in a conversation is addressed by the conversation: from our side to the other. Where
   * neither side is ours (imported data), `from` must say which participant sends.
   */
  private async address(input: SendInput): Promise<{ to?: string | null; from?: string | null; ours?: string | null } | { errors: UserErrorShape[] }> {
    if (input.conversationId == null) {
      if (input.to == null) return { errors: [userError('to', 'INVALID_RECIPIENT', 'Give a recipient (`to`) or a conversation to reply in (`conversationId`).')] };
      // A name that is a contact's with a number texts that number.
      const named = await recipientByName(this.db, input.to, this.senders.defaultCountry);
      return 'error' in named ? { errors: [named.error] } : named;
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
    return { to, from, ours: c.ours };
  }

  /** Seconds until `author` may send again, or undefined when they are within the limit. */
  private async overLimit(tx: Pick<Sql, 'query'>, author: Author): Promise<number | undefined> {
    if (!this.limits.perMinute || !author.id) return undefined;
    // One sender's sends are counted one at a time, so concurrent requests cannot all slip under.
    const { n, oldest } = await sentInLastMinute(tx, author.id);
    if (n < this.limits.perMinute) return undefined;
    return Math.max(1, Math.ceil((oldest!.getTime() + 60_000 - Date.now()) / 1000));
  }

  private findByKey(idempotencyKey: string, author: Author): Promise<Message | undefined> {
    return messageByIdempotencyKey(this.db, idempotencyKey, author.id ?? null);
  }
}

/** INVALID_SEND_AT for a time that is not later (a few seconds ahead at least) or more than a year away. */
function sendAtRefusal(sendAt: Date, now: Date): UserErrorShape | undefined {
  const ahead = sendAt.getTime() - now.getTime();
  if (ahead < MIN_SCHEDULE_AHEAD_MS) return userError('sendAt', 'INVALID_SEND_AT', 'Choose a time in the future to send it later.');
  if (ahead > MAX_SCHEDULE_AHEAD_MS) return userError('sendAt', 'INVALID_SEND_AT', 'A message can be scheduled up to a year ahead.');
  return undefined;
}

/** QUIET_HOURS, with when the message may go. */
function quietHoursError(to: string, quiet: { until: Date; zone: string }): SendResult {
  const local = new Intl.DateTimeFormat('en-US', { timeZone: quiet.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(quiet.until);
  const error = userError('to', 'QUIET_HOURS', `It is quiet hours for ${to} (${quiet.zone}): it may go at ${local}.`);
  return { message: null, errors: [{ ...error, availableAt: quiet.until }] };
}

/** The channel an address is reached on: a WhatsApp address, a phone number (SMS), or a name. */
export function channelOfAddress(address: string): MessageChannel | 'INTERNAL' {
  return isWhatsApp(address) ? 'WHATSAPP' : isE164(address) ? 'SMS' : 'INTERNAL';
}

function fail(field: string, code: UserErrorCode, message: string): SendResult {
  return { message: null, errors: [userError(field, code, message)] };
}

/** A retried request gets the original message; the same key for a different message is a client bug. */
function replay(existing: Message, from: string, to: string, body: string): SendResult {
  const reused = keyReusedFor(existing, { from, to, body });
  return reused ? { message: null, errors: [reused] } : { message: existing, errors: [] };
}
