import type { Database } from '../../db/database.ts';
import { newestPosition, prunedThrough } from '../../db/tables/change-feed.ts';
import { deleteEndpoint, endpointById, endpoints, insertEndpoint, lockEndpoint, queueDeliveries, rotateSecret, updateEndpoint, type WebhookEndpointRow } from '../../db/tables/webhooks.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { isStorable } from '../../lib/text.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, recordAudit } from '../audit/audit.service.ts';
import { refuseUrl, type WebhookNetwork } from './address-guard.ts';
import { newSecret } from './delivery-http.ts';
import { TEST_EVENT, WEBHOOK_EVENTS } from './events.ts';
import { feedEventsAfter } from './feed-events.ts';

export const MAX_WEBHOOKS = 20;
export const MAX_DESCRIPTION = 200;
/** How long a rotated secret keeps signing beside the new one. */
export const SECRET_OVERLAP_MS = 86_400_000;

export type EndpointResult = { endpoint: WebhookEndpointRow; secret: string | null; errors: [] } | { endpoint: null; secret: null; errors: UserErrorShape[] };

const failed = (...errors: UserErrorShape[]): EndpointResult => ({ endpoint: null, secret: null, errors });
const notFound = (id: string) => failed(userError('id', isUuid(id) ? 'NOT_FOUND' : 'INVALID_ID', isUuid(id) ? 'No webhook has this id.' : `"${id.slice(0, 60)}" is not a webhook id.`));

interface EndpointInput {
  url?: string | null;
  description?: string | null;
  events?: readonly string[] | null;
}

/** What is wrong with a webhook's fields as given (undefined ones are not being changed). */
function mistakes(input: EndpointInput, network: WebhookNetwork): UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  if (input.url != null) {
    const refused = !isStorable(input.url) ? 'The URL holds characters that cannot be stored.' : refuseUrl(input.url.trim(), network);
    if (refused) errors.push(userError('url', 'INVALID_URL', refused.endsWith('.') ? refused : `${refused}.`));
  }
  if (input.description != null && ([...input.description].length > MAX_DESCRIPTION || !isStorable(input.description) || /[\u0000-\u001f\u007f]/.test(input.description))) {
    errors.push(userError('description', 'INVALID_DESCRIPTION', `A description is at most ${MAX_DESCRIPTION} characters on one line.`));
  }
  if (input.events != null && (input.events.length === 0 || input.events.some((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e)))) {
    errors.push(userError('events', 'INVALID_EVENTS', `Choose at least one of: ${WEBHOOK_EVENTS.join(', ')}.`));
  }
  return errors;
}

const label = (e: { url: string; description: string }) => (e.description ? `${e.description} (${e.url})` : e.url);

/**
 * Registers an endpoint: it gets the events that happen from now on, signed with a new secret
 * that is shown this once.
 */
export async function createWebhook(db: Database, by: Principal, input: Required<EndpointInput>, network: WebhookNetwork): Promise<EndpointResult> {
  const errors = mistakes(input, network);
  if (input.url == null || input.events == null) errors.push(userError(input.url == null ? 'url' : 'events', input.url == null ? 'INVALID_URL' : 'INVALID_EVENTS', 'Give a URL and the events wanted.'));
  if (errors.length) return failed(...errors);
  const secret = newSecret();
  return db.transaction(async (tx) => {
    // One at a time, so two admins adding the 20th at once cannot make 21.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('hatch-webhooks', 0))`);
    if ((await endpoints(tx)).length >= MAX_WEBHOOKS) return failed(userError(null, 'TOO_MANY_WEBHOOKS', `Hatch keeps at most ${MAX_WEBHOOKS} webhooks: delete one first.`));
    const endpoint = await insertEndpoint(tx, { url: input.url!.trim(), description: input.description?.trim() ?? '', events: [...new Set(input.events!)], secret, position: await newestPosition(tx) });
    await recordAudit(tx, 'WEBHOOK_CREATED', { actor: actorOf(by), target: { kind: 'webhook', id: endpoint.id, name: label(endpoint) } });
    return { endpoint, secret, errors: [] as [] };
  });
}

/** Changes an endpoint's URL, description, events, or whether it is enabled (enabling clears why it was disabled). */
export async function updateWebhook(db: Database, by: Principal, id: string, input: EndpointInput & { enabled?: boolean | null }, network: WebhookNetwork): Promise<EndpointResult> {
  if (!isUuid(id)) return notFound(id);
  const errors = mistakes(input, network);
  if (errors.length) return failed(...errors);
  return db.transaction(async (tx) => {
    const endpoint = await updateEndpoint(tx, id, {
      url: input.url?.trim() ?? undefined,
      description: input.description?.trim() ?? undefined,
      events: input.events ? [...new Set(input.events)] : undefined,
      enabled: input.enabled ?? undefined,
    });
    if (!endpoint) return notFound(id);
    await recordAudit(tx, 'WEBHOOK_CHANGED', { actor: actorOf(by), target: { kind: 'webhook', id, name: label(endpoint) } });
    return { endpoint, secret: null, errors: [] as [] };
  });
}

/** A new signing secret, shown this once; the old one also signs for a day. */
export async function rotateWebhookSecret(db: Database, by: Principal, id: string): Promise<EndpointResult> {
  if (!isUuid(id)) return notFound(id);
  const secret = newSecret();
  return db.transaction(async (tx) => {
    const endpoint = await rotateSecret(tx, id, secret, SECRET_OVERLAP_MS);
    if (!endpoint) return notFound(id);
    await recordAudit(tx, 'WEBHOOK_SECRET_ROTATED', { actor: actorOf(by), target: { kind: 'webhook', id, name: label(endpoint) } });
    return { endpoint, secret, errors: [] as [] };
  });
}

export async function deleteWebhook(db: Database, by: Principal, id: string): Promise<UserErrorShape[]> {
  if (!isUuid(id)) return notFound(id).errors;
  return db.transaction(async (tx) => {
    const endpoint = await endpointById(tx, id);
    if (!endpoint || !(await deleteEndpoint(tx, id))) return notFound(id).errors;
    await recordAudit(tx, 'WEBHOOK_DELETED', { actor: actorOf(by), target: { kind: 'webhook', id, name: label(endpoint) } });
    return [];
  });
}

/** Queues a `webhook.test` event for the endpoint, after what it is already waiting to send. */
export async function sendTestEvent(db: Database, id: string): Promise<UserErrorShape[]> {
  if (!isUuid(id)) return notFound(id).errors;
  const endpoint = await endpointById(db, id);
  if (!endpoint) return notFound(id).errors;
  const webhookId = `msg_test_${crypto.randomUUID().replaceAll('-', '')}`;
  const at = new Date().toISOString();
  await queueDeliveries(db, id, [{ webhookId, type: TEST_EVENT, conversationId: null, payload: { type: TEST_EVENT, timestamp: at, data: { endpointId: id } } }]);
  return [];
}

const CURSOR = /^(0|[1-9][0-9]{0,18})$/;

/**
 * Sends again every event the endpoint asked for after `after` (a cursor from a delivery's
 * `data.cursor`, or "0" for all the feed still keeps), up to what it has been given: for a
 * receiver that lost data. Each keeps its `webhook-id`; they go after what is already waiting.
 */
export async function replayWebhook(db: Database, id: string, after: string): Promise<{ queued: number; errors: UserErrorShape[] }> {
  if (!isUuid(id)) return { queued: 0, errors: notFound(id).errors };
  if (!CURSOR.test(after)) return { queued: 0, errors: [userError('after', 'INVALID_CURSOR', `"${after.slice(0, 40)}" is not a cursor: use a delivery's data.cursor, or 0.`)] };
  return db.transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, id);
    if (!endpoint) return { queued: 0, errors: notFound(id).errors };
    const from = BigInt(after);
    if (from < (await prunedThrough(tx))) return { queued: 0, errors: [userError('after', 'INVALID_CURSOR', 'The change feed no longer keeps what came after that cursor (HATCH_CHANGE_RETENTION): replay from a later one.')] };
    let position = from;
    let queued = 0;
    while (position < endpoint.position) {
      const events = await feedEventsAfter(tx, position, endpoint.events, endpoint.position);
      if (events.through === undefined) break;
      await queueDeliveries(tx, id, events.deliveries);
      queued += events.deliveries.length;
      position = events.through;
      if (!events.more) break;
    }
    return { queued, errors: [] };
  });
}

export { endpoints as listWebhooks, endpointById as webhookById };
