import { createGraphQLError } from 'graphql-yoga';
import { isStorable } from '../../lib/text.ts';
import { builder } from '../builder.ts';
import { assertUuid, badUserInput, isUuid, notFound } from '../../lib/errors.ts';
import { searchConversationIds, searchTerms, type AssigneeChoice, type ConversationFilter } from '../../modules/conversations/conversation-search.ts';
import type { Principal } from '../../modules/access/principal.ts';
import { Conversation } from './conversation.type.ts';
import { listConversations } from '../../modules/conversations/conversation-page.ts';
import { readerOf } from '../../modules/conversations/read-state.ts';

const MAX_SEARCH_CHARS = 200;

const ConversationFilterEnum = builder.enumType('ConversationFilter', {
  values: {
    OPEN: { description: 'Not marked done, and not snoozed until a time still to come.' },
    DONE: { description: 'Marked done (archived).' },
    SNOOZED: { description: 'Snoozed until a time still to come (`snoozeConversation`), and not done.' },
    ALL: { description: 'Every one.' },
  },
});

const ConversationAssigneeEnum = builder.enumType('ConversationAssignee', {
  values: {
    ANYONE: { description: "Assigned to anyone or nobody: every conversation." },
    ME: { description: 'Assigned to the signed-in operator (BAD_USER_INPUT for a program, which has none).' },
    UNASSIGNED: { description: 'Assigned to nobody.' },
  },
});

/** What each filter keeps, as of now (a snooze runs out with time). */
const whereFilter = (filter: ConversationFilter, now = new Date()) =>
  ({
    OPEN: { doneAt: null, OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] },
    DONE: { doneAt: { not: null } },
    SNOOZED: { doneAt: null, snoozedUntil: { gt: now } },
    ALL: {},
  })[filter];

builder.queryField('conversations', (t) =>
  t.prismaConnection({
    type: Conversation,
    cursor: 'id',
    description: 'Most recent activity first.',
    args: {
      search: t.arg.string({
        description:
          "Conversations whose contact's name, address or number (formatting ignored: \"(555) 987-6543\" finds +15559876543) contains this text in any case, or whose messages hold its words (each word a prefix). Our own side never matches.",
      }),
      filter: t.arg({ type: ConversationFilterEnum, defaultValue: 'ALL', description: 'Open, done, snoozed, or all (the default).' }),
      assignee: t.arg({ type: ConversationAssigneeEnum, defaultValue: 'ANYONE', description: "Whose: anyone's (the default), mine, or nobody's." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const search = args.search?.trim().slice(0, MAX_SEARCH_CHARS);
      if (search && !isStorable(search)) {
        throw createGraphQLError('search contains characters no conversation can contain (such as NUL).', { extensions: { code: 'INVALID_CHARACTERS' } });
      }
      const filter = (args.filter ?? 'ALL') as ConversationFilter;
      const whose = assigneeChoice(args.assignee ?? 'ANYONE', ctx.principal);
      if (!search) {
        // The list as the inbox asks for it (nothing nested that Prisma would load): one statement
        // with each conversation's newest message and the reader's read state. Anything else
        // (a page that includes relations) goes through Prisma.
        const { take, skip, cursor, ...rest } = query as typeof query & { take: number; skip?: number; cursor?: { id: string } };
        if (Object.keys(rest).length === 0 && (skip ?? 0) === (cursor ? 1 : 0) && (!cursor || isUuid(cursor.id))) {
          return listConversations(ctx.db, { take, cursorId: cursor?.id }, readerOf(ctx.principal), filter, whose);
        }
        const assigned = whose.kind === 'nobody' ? { assigneeId: null } : whose.kind === 'operator' ? { assigneeId: whose.id } : {};
        return ctx.prisma.conversation.findMany({ ...query, where: { ...whereFilter(filter), ...assigned }, orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }] });
      }

      // Search is plain SQL (full-text search and expressions Prisma cannot say); it picks one
      // page of ids, and Prisma loads those rows with whatever the query selected.
      const { take, skip: _skip, cursor, ...selection } = query as typeof query & { take: number; skip?: number; cursor?: { id: string } };
      if (cursor && !isUuid(cursor.id)) throw badUserInput('The cursor is not one this list gave.');
      const { smsFrom, operatorName, defaultCountry } = ctx.messages.senders;
      const ids = await searchConversationIds(ctx.db, searchTerms(search, defaultCountry), [smsFrom, operatorName], filter, { take, cursorId: cursor?.id }, whose);
      const rows = await ctx.prisma.conversation.findMany({ ...selection, where: { id: { in: ids } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
  }, { name: 'ConversationConnection' }, { name: 'ConversationEdge' }),
);

builder.queryField('conversation', (t) =>
  t.prismaField({
    type: Conversation,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = assertUuid(String(args.id), 'conversation');
      const found = await ctx.prisma.conversation.findUnique({ ...query, where: { id } });
      if (!found) throw notFound('conversation', id);
      return found;
    },
  }),
);

function assigneeChoice(asked: 'ANYONE' | 'ME' | 'UNASSIGNED', principal: Principal): AssigneeChoice {
  if (asked === 'UNASSIGNED') return { kind: 'nobody' };
  if (asked === 'ANYONE') return { kind: 'anyone' };
  if (principal.kind !== 'operator' || principal.local) throw badUserInput('`assignee: ME` needs a signed-in operator: a program (or sign-in turned off) has no conversations of its own.');
  return { kind: 'operator', id: principal.id };
}
