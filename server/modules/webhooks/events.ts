import type { MessageChange } from '../../db/tables/change-feed.ts';
import type { NewDelivery } from '../../db/tables/webhooks.ts';

/** The events an endpoint can ask for, by the names receivers see in `type`. */
export const WEBHOOK_EVENTS = ['message.created', 'message.status_changed'] as const;
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
    payload: { type, timestamp: new Date().toISOString(), data: { after: after.toString(), through: through.toString() } },
  };
}
