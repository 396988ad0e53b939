import type { Conversation } from '../../generated/prisma/client.ts';
import type { ContactChange, ConversationChange, MessageChange } from '../../db/tables/change-feed.ts';
import type { NewDelivery } from '../../db/tables/webhooks.ts';

/** The events an endpoint can ask for, by the names receivers see in `type`. */
export const WEBHOOK_EVENTS = [
  'message.created',
  'message.status_changed',
  'conversation.assigned',
  'conversation.done',
  'conversation.reopened',
  'conversation.snoozed',
  'note.added',
  'contact.changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by "Send test event": to every endpoint, whatever it asked for. */
export const TEST_EVENT = 'webhook.test';

/** Sent, whatever the endpoint asked for, when events it would have had are no longer kept. */
export const MISSED_EVENT = 'webhook.events_missed';

/** A message as a delivery carries it: what `Message` says in GraphQL, by the same names. */
function messageData(m: NonNullable<MessageChange['message']>) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    from: m.from,
    to: m.to,
    body: m.body,
    direction: m.direction,
    channel: m.channel,
    status: m.status,
    errorCode: m.errorCode,
    sentBy: { kind: m.sentByKind, name: m.sentByName },
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** What a conversation event carries of the conversation: its row, by GraphQL's names. */
function conversationData(c: Conversation, assignee: { id: string; name: string } | null) {
  return {
    id: c.id,
    participants: [c.participantA, c.participantB],
    ours: c.ours,
    assignee,
    doneAt: c.doneAt?.toISOString() ?? null,
    snoozedUntil: c.snoozedUntil?.toISOString() ?? null,
    lastMessageAt: c.lastMessageAt.toISOString(),
    noteCount: c.noteCount,
  };
}

export interface NoteForEvent {
  id: string;
  body: string;
  authorKind: string;
  authorId: string | null;
  authorName: string;
  createdAt: Date;
}

/** What else a conversation event names, read once per batch: operators' names and notes. */
export interface Lookups {
  operatorName(id: string): string | undefined;
  note(id: string): NoteForEvent | undefined;
}

/**
 * The events one conversation change is, from what it changed from: taken or handed over
 * (`conversation.assigned`, also when let go: `assignee` null), marked done, opened again (by an
 * operator or a new message), snoozed (to a new time), a note added. A change of something else
 * (activity, a contact's new name) is none of them. Several can come of one change; each has its
 * own id (`<cursor>_<event>`).
 */
export function conversationEvents(change: ConversationChange, lookups: Lookups): { type: WebhookEvent; extra: Record<string, unknown> }[] {
  const before = change.before;
  const c = change.conversation;
  if (!before) return [];
  const events: { type: WebhookEvent; extra: Record<string, unknown> }[] = [];
  if (before.assigneeId !== c.assigneeId) {
    events.push({ type: 'conversation.assigned', extra: { previousAssigneeId: before.assigneeId } });
  }
  if (!before.doneAt && c.doneAt) events.push({ type: 'conversation.done', extra: {} });
  if (before.doneAt && !c.doneAt) events.push({ type: 'conversation.reopened', extra: {} });
  if (c.snoozedUntil && before.snoozedUntil?.getTime() !== c.snoozedUntil.getTime()) events.push({ type: 'conversation.snoozed', extra: {} });
  if (c.noteCount > before.noteCount && c.lastNoteId) {
    const note = lookups.note(c.lastNoteId);
    if (note) {
      events.push({
        type: 'note.added',
        extra: { note: { id: note.id, body: note.body, author: { kind: note.authorKind, id: note.authorId, name: note.authorName }, createdAt: note.createdAt.toISOString() } },
      });
    }
  }
  return events;
}

export function conversationDeliveries(change: ConversationChange, wanted: readonly string[], lookups: Lookups): NewDelivery[] {
  const c = change.conversation;
  const assignee = c.assigneeId ? { id: c.assigneeId, name: lookups.operatorName(c.assigneeId) ?? '' } : null;
  return conversationEvents(change, lookups)
    .filter((e) => wanted.includes(e.type))
    .map(({ type, extra }) => ({
      webhookId: `msg_${change.cursor}_${type.replace('.', '_')}`,
      type,
      conversationId: c.id,
      address: null,
      payload: { type, timestamp: change.occurredAt.toISOString(), data: { cursor: change.cursor, conversation: conversationData(c, assignee), ...extra } },
    }));
}

/** `contact.changed`: a contact was named, renamed, noted, opted out or in, or merged with another. */
export function contactDelivery(change: ContactChange, wanted: readonly string[]): NewDelivery | undefined {
  const type: WebhookEvent = 'contact.changed';
  if (!wanted.includes(type)) return undefined;
  const c = change.contact;
  return {
    webhookId: `msg_${change.cursor}`,
    type,
    conversationId: null,
    address: c.address,
    payload: {
      type,
      timestamp: change.occurredAt.toISOString(),
      data: {
        cursor: change.cursor,
        contact: { address: c.address, name: c.name, notes: c.notes, optedOut: c.optedOut, optedOutAt: c.optedOutAt?.toISOString() ?? null, personId: c.personId, updatedAt: c.updatedAt.toISOString() },
      },
    },
  };
}

/**
 * The delivery a change makes for an endpoint that asked for its event, if any. The event's id is
 * its change-feed position, so it is the same for every endpoint, every attempt and every replay,
 * and `data.cursor` is where a subscription or a replay would start after it.
 */
export function deliveryOf(change: MessageChange, wanted: readonly string[]): NewDelivery | undefined {
  if (!change.message) return undefined;
  const type: WebhookEvent | undefined = change.action === 'INSERT' ? 'message.created' : change.action === 'UPDATE' ? 'message.status_changed' : undefined;
  if (!type || !wanted.includes(type)) return undefined;
  return {
    webhookId: `msg_${change.cursor}`,
    type,
    conversationId: change.conversationId,
    address: null,
    payload: { type, timestamp: change.occurredAt.toISOString(), data: { cursor: change.cursor, message: messageData(change.message) } },
  };
}

/**
 * Tells an endpoint that the changes after `after` up to `through` were pruned from the feed
 * (HATCH_CHANGE_RETENTION) before it took them (it was disabled that long): they cannot be sent or
 * replayed; the receiver should read what it needs through the API.
 */
export function missedDelivery(endpointId: string, after: bigint, through: bigint): NewDelivery {
  const type = MISSED_EVENT;
  return {
    webhookId: `msg_missed_${endpointId.replaceAll('-', '')}_${through}`,
    type,
    conversationId: null,
    address: null,
    payload: { type, timestamp: new Date().toISOString(), data: { after: after.toString(), through: through.toString() } },
  };
}
