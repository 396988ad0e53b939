import type { Database } from '../../db/database.ts';
import { optOutOf } from '../../db/tables/contacts.ts';
import { upsertConversation } from '../../db/tables/conversations.ts';
import {
  insertScheduled,
  scheduledById,
  scheduledByKey,
  setScheduledStatus,
  updateScheduled,
  type NewScheduled,
} from '../../db/tables/scheduled-messages.ts';
import type { ScheduledMessage } from '../../generated/prisma/client.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import type { Author } from '../access/principal.ts';
import { optOutText } from '../contacts/opt-out-text.ts';
import { keyReusedFor } from '../messages/send-input.ts';

export interface ScheduleRequest extends Omit<NewScheduled, 'conversationId'> {
  conversation: { id: string; participantA: string; participantB: string; ours: string };
}

type Scheduled = { message: null; scheduled: ScheduledMessage | null; errors: UserErrorShape[] };
const refused = (...errors: UserErrorShape[]): Scheduled => ({ message: null, scheduled: null, errors });

/** The same key for a different message is the client's mistake; for the same one, the first answer. */
function replayed(existing: ScheduledMessage, s: ScheduleRequest): Scheduled {
  const reused = keyReusedFor(existing, s);
  return reused ? refused(reused) : { message: null, scheduled: existing, errors: [] };
}

/**
 * Keeps a checked send (recipient, sender, destination and quiet hours already passed) to go at
 * `sendAt`. An opted-out number is refused now, as a send would be; every check runs again when
 * it is due. The conversation is created now, so the thread shows what is waiting.
 */
export async function scheduleSend(db: Database, s: ScheduleRequest): Promise<Scheduled> {
  if (s.idempotencyKey) {
    const existing = await scheduledByKey(db, s.idempotencyKey, s.author.id);
    if (existing) return replayed(existing, s);
  }
  if (s.channel === 'SMS') {
    const out = await optOutOf(db, s.to);
    if (out) return refused(userError('to', 'OPTED_OUT', optOutText(s.to, out.reason)));
  }
  const { conversation, ...rest } = s;
  const made = await db.transaction(async (tx) => {
    await upsertConversation(tx, conversation);
    return insertScheduled(tx, { ...rest, conversationId: conversation.id });
  });
  if (made) return { message: null, scheduled: made, errors: [] };
  // The same key raced in from another request: its answer is this one's.
  const existing = await scheduledByKey(db, s.idempotencyKey!, s.author.id);
  return existing ? replayed(existing, s) : refused(userError('idempotencyKey', 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used.'));
}

export type EditResult = { scheduled: ScheduledMessage | null; errors: UserErrorShape[] };
const editRefused = (...errors: UserErrorShape[]): EditResult => ({ scheduled: null, errors });

/**
 * Who may change or cancel a waiting message: operators (the team's inbox), and a program only
 * its own.
 */
function mayChange(s: ScheduledMessage, by: Author): boolean {
  return by.kind === 'OPERATOR' || (by.kind === 'TOKEN' && s.sentByKind === 'TOKEN' && s.sentById === by.id);
}

/**
 * Changes, or cancels, a message still waiting, under its row's lock: one a replica has taken to
 * send (its lease) or has sent is refused with ALREADY_SENT, so what goes is what was last saved.
 */
export async function changeScheduled(
  db: Database,
  by: Author,
  id: string,
  change: { cancel: true } | { body?: string; sendAt?: Date },
): Promise<EditResult> {
  if (!isUuid(id)) return editRefused(userError('id', 'INVALID_ID', `"${id.slice(0, 60)}" is not a scheduled message's id.`));
  return db.transaction(async (tx) => {
    const s = await scheduledById(tx, id, true);
    if (!s || !mayChange(s, by)) return editRefused(userError('id', 'NOT_FOUND', 'No scheduled message has this id.'));
    if ('cancel' in change) {
      // A failed one is dismissed the same way.
      if (s.status !== 'SCHEDULED' && s.status !== 'FAILED') return editRefused(userError('id', 'ALREADY_SENT', 'It has been sent already.'));
      return { scheduled: (await setScheduledStatus(tx, id, 'CANCELLED'))!, errors: [] };
    }
    if (s.status !== 'SCHEDULED' || (s.leaseUntil && s.leaseUntil > new Date())) {
      return editRefused(userError('id', 'ALREADY_SENT', s.status === 'FAILED' ? 'It could not be sent; write it again.' : 'It is being sent or has been sent already.'));
    }
    return { scheduled: await updateScheduled(tx, id, change), errors: [] };
  });
}
