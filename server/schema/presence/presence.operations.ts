import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { CodedError, isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { participantsOf } from '../../db/tables/conversations.ts';
import type { ConversationPresence, Presence, PresenceReport } from '../../modules/presence/presence.ts';

const PresenceStateEnum = builder.enumType('PresenceState', {
  description: 'What an operator is doing in a conversation.',
  values: {
    VIEWING: { description: 'Has the conversation open.' },
    TYPING: { description: 'Is writing in it (a reply or a note) now.' },
  },
});

const PresenceReportEnum = builder.enumType('PresenceReport', {
  description: 'What `reportPresence` says.',
  values: {
    VIEWING: { description: 'Has the conversation open. Repeat at least every 10 s while it stays open: presence ends 25 s after the last report.' },
    TYPING: { description: 'Is writing in it. Lasts 6 s after the last report, then back to viewing.' },
    LEFT: { description: 'Has closed it: presence ends at once.' },
  },
});

const OperatorPresence = builder.objectRef<Presence>('OperatorPresence').implement({
  description: 'One operator in a conversation now.',
  fields: (t) => ({
    operatorId: t.exposeID('operatorId'),
    name: t.exposeString('name'),
    state: t.field({ type: PresenceStateEnum, resolve: (p) => p.state }),
    since: t.field({ type: 'DateTime', description: 'When they arrived, or began typing.', resolve: (p) => p.since }),
  }),
});

const ConversationPresenceRef = builder.objectRef<ConversationPresence>('ConversationPresence').implement({
  description: 'Everyone in a conversation now (the viewer included, when they reported).',
  fields: (t) => ({
    conversationId: t.exposeID('conversationId'),
    viewers: t.field({ type: [OperatorPresence], resolve: (p) => p.viewers }),
  }),
});

interface ReportResult {
  errors: UserErrorShape[];
}

const ReportPresencePayload = builder.objectRef<ReportResult>('ReportPresencePayload').implement({
  fields: (t) => ({ errors: t.field({ type: [UserError], resolve: (r) => r.errors }) }),
});

/** The conversation's id in canonical form, or the user error it gets. */
async function knownConversation(db: Parameters<typeof participantsOf>[0], raw: string): Promise<{ id: string } | { error: UserErrorShape }> {
  if (!isUuid(raw)) return { error: userError('conversationId', 'INVALID_ID', `"${raw.slice(0, 60)}" is not a conversation id.`) };
  const id = raw.toLowerCase();
  if (!(await participantsOf(db, id))) return { error: userError('conversationId', 'NOT_FOUND', `No conversation with id "${id}".`) };
  return { id };
}

builder.mutationField('reportPresence', (t) =>
  t.field({
    type: ReportPresencePayload,
    description:
      'Tells colleagues that the viewer is viewing, typing in, or has left a conversation. Ephemeral: not stored, not in the change feed; reaches `presence` subscribers on every replica. Operators only; at most 60 reports a minute per operator (`RATE_LIMITED`).',
    authScopes: { operator: true },
    args: {
      conversationId: t.arg.id({ required: true }),
      state: t.arg({ type: PresenceReportEnum, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const found = await knownConversation(ctx.db, String(args.conversationId));
      if ('error' in found) return { errors: [found.error] };
      if (ctx.principal.kind !== 'operator') return { errors: [] };
      const error = await ctx.presence.report(ctx.principal, found.id, args.state as PresenceReport);
      return { errors: error ? [error] : [] };
    },
  }),
);

builder.subscriptionField('presence', (t) =>
  t.field({
    type: ConversationPresenceRef,
    description:
      'Who is viewing or typing in a conversation: the current state at once, then again after every change (arrivals, typing, leaving, and presence that ran out). Ephemeral: there is no cursor to resume from.',
    args: { conversationId: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const found = await knownConversation(ctx.db, String(args.conversationId));
      if ('error' in found) throw new CodedError(found.error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'BAD_USER_INPUT', found.error.message);
      return ctx.presence.watch(found.id);
    },
    resolve: (p) => p,
  }),
);
