import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import type { UserErrorShape } from '../../lib/errors.ts';
import type { WebhookEndpointRow } from '../../db/tables/webhooks.ts';
import type { WebhookEvent } from '../../modules/webhooks/events.ts';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  replayWebhook,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
  type EndpointResult,
} from '../../modules/webhooks/webhooks.service.ts';

export const WebhookEventType = builder.enumType('WebhookEventType', {
  description: 'What an endpoint receives; `type` in each delivery is the value in parentheses.',
  values: {
    MESSAGE_CREATED: { value: 'message.created', description: 'A message was received, sent or stored (`message.created`).' },
    MESSAGE_STATUS_CHANGED: { value: 'message.status_changed', description: 'A message changed: its delivery status, mostly (`message.status_changed`).' },
    CONVERSATION_ASSIGNED: { value: 'conversation.assigned', description: 'A conversation was taken, handed over or let go: `data.conversation.assignee` (null when let go) and `data.previousAssigneeId` (`conversation.assigned`).' },
    CONVERSATION_DONE: { value: 'conversation.done', description: 'A conversation was marked done (`conversation.done`).' },
    CONVERSATION_REOPENED: { value: 'conversation.reopened', description: 'A done conversation was opened again, by an operator or by a message from the contact (`conversation.reopened`).' },
    CONVERSATION_SNOOZED: { value: 'conversation.snoozed', description: 'A conversation was snoozed until `data.conversation.snoozedUntil` (`conversation.snoozed`).' },
    NOTE_ADDED: { value: 'note.added', description: 'An internal note was added: `data.note` (`note.added`).' },
    CONTACT_CHANGED: { value: 'contact.changed', description: 'A contact was named, renamed, given notes, opted out or in, or joined with another as one person: `data.contact` (`contact.changed`).' },
  } as const,
});

const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Not accepted yet: waiting its turn, or to be tried again at `nextAttemptAt`.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
  } as const,
});

const WebhookDelivery = builder.prismaObject('WebhookDelivery', {
  description: 'One event for one endpoint, and what its last attempt got.',
  fields: (t) => ({
    id: t.exposeID('id'),
    webhookId: t.exposeString('webhookId', { description: 'The `webhook-id` header: the same on every attempt and replay of this event.' }),
    eventType: t.exposeString('eventType', { description: 'One of `WebhookEventType`\'s values in parentheses, `webhook.test`, or `webhook.events_missed`.' }),
    status: t.field({ type: WebhookDeliveryStatus, resolve: (d) => d.status as 'PENDING' | 'DELIVERED' }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, description: 'When it is tried next; null once delivered.', resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null) }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true, description: "The last attempt's HTTP status; null when there was no answer (see `lastError`)." }),
    lastDurationMs: t.exposeInt('lastDurationMs', { nullable: true }),
    lastResponse: t.exposeString('lastResponse', { nullable: true, description: 'The first 1 KB of the last answer.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt got no answer: refused address, timeout, connection error.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

const WebhookEndpoint = builder.objectRef<WebhookEndpointRow>('WebhookEndpoint').implement({
  description: 'Where Hatch POSTs events, signed as Standard Webhooks says. Admins only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    events: t.field({ type: [WebhookEventType], resolve: (e) => e.events as WebhookEvent[] }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why Hatch disabled it (failing for 3 days); null when it is enabled or an admin disabled it.' }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true, description: 'Since when its deliveries fail; null while they succeed.' }),
    previousSecretActive: t.boolean({ description: 'A rotated secret still signs beside the new one (for a day after `rotateWebhookSecret`).', resolve: (e) => e.secrets.length > 1 }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.prismaConnection(
      {
        type: WebhookDelivery,
        cursor: 'id',
        description: 'The delivery log, newest first.',
        resolve: (query, e, _args, ctx) => ctx.prisma.webhookDelivery.findMany({ ...query, where: { endpointId: e.id }, orderBy: [{ seq: 'desc' }] }),
      },
      { name: 'WebhookDeliveryConnection' },
      { name: 'WebhookDeliveryEdge' },
    ),
  }),
});

builder.queryField('webhookEndpoints', (t) =>
  t.field({ type: [WebhookEndpoint], description: 'Every webhook endpoint, oldest first. Admins only.', authScopes: { admin: true }, resolve: (_r, _a, ctx) => listWebhooks(ctx.db) }),
);

const EndpointPayload = builder.objectRef<EndpointResult>('WebhookEndpointPayload').implement({
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpoint, nullable: true, resolve: (r) => r.endpoint }),
    secret: t.string({ nullable: true, description: 'The signing secret (`whsec_…`): shown here, once, when made or rotated; null otherwise.', resolve: (r) => r.secret }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

const Errors = builder.objectRef<{ errors: UserErrorShape[] }>('WebhookActionPayload').implement({
  fields: (t) => ({ errors: t.field({ type: [UserError], resolve: (r) => r.errors }) }),
});

const CreateInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'https:// (http:// only with WEBHOOK_ALLOW_HTTP); never a loopback, private or link-local address unless WEBHOOK_ALLOW_PRIVATE lists it.' }),
    events: t.field({ type: [WebhookEventType], required: true }),
    description: t.string({ description: 'For people, up to 200 characters.' }),
  }),
});

const UpdateInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    events: t.field({ type: [WebhookEventType] }),
    description: t.string(),
    enabled: t.boolean({ description: 'Enabling again sends what waited, in order.' }),
  }),
});

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: EndpointPayload,
    description: 'Registers an endpoint for the events from now on; `secret` is shown this once. At most 20. `INVALID_URL`, `INVALID_EVENTS`, `INVALID_DESCRIPTION`, `TOO_MANY_WEBHOOKS`. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateInput, required: true }) },
    resolve: (_r, { input }, ctx) => createWebhook(ctx.db, ctx.principal, { url: input.url, events: input.events, description: input.description ?? null }, ctx.webhooks.network),
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.field({
    type: EndpointPayload,
    description: 'Changes what is given. Admins only.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    resolve: (_r, { input }, ctx) => updateWebhook(ctx.db, ctx.principal, String(input.id), input, ctx.webhooks.network),
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: EndpointPayload,
    description: 'A new signing secret (shown once); the old one keeps signing beside it for 24 hours. Admins only.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => rotateWebhookSecret(ctx.db, ctx.principal, String(args.id)),
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.field({
    type: Errors,
    description: 'Deletes an endpoint and its delivery log. Admins only.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => ({ errors: await deleteWebhook(ctx.db, ctx.principal, String(args.id)) }),
  }),
);

builder.mutationField('sendTestWebhookEvent', (t) =>
  t.field({
    type: Errors,
    description: 'Queues a `webhook.test` event for the endpoint (after what already waits). Admins only.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const errors = await sendTestEvent(ctx.db, String(args.id));
      if (!errors.length) void ctx.webhooks.dispatcher.kick();
      return { errors };
    },
  }),
);

const ReplayPayload = builder.objectRef<{ queued: number; errors: UserErrorShape[] }>('ReplayWebhookEventsPayload').implement({
  fields: (t) => ({ queued: t.exposeInt('queued', { description: 'How many events were queued again.' }), errors: t.field({ type: [UserError], resolve: (r) => r.errors }) }),
});

builder.mutationField('replayWebhookEvents', (t) =>
  t.field({
    type: ReplayPayload,
    description:
      "Sends again every event the endpoint asked for after `after` (a delivery's `data.cursor`, or `0` for all the change feed keeps), each with its original `webhook-id`, after what already waits. `INVALID_CURSOR` for a cursor that is not one, or older than the feed keeps. Admins only.",
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), after: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const result = await replayWebhook(ctx.db, String(args.id), args.after);
      if (result.queued) void ctx.webhooks.dispatcher.kick();
      return result;
    },
  }),
);
