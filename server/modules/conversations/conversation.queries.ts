import { createGraphQLError } from 'graphql-yoga';
import { isStorable } from '../../lib/text.ts';
import { builder } from '../../schema/builder.ts';
import { notFound } from '../../schema/errors.ts';
import { assertUuid } from '../../schema/ids.ts';
import { Conversation } from './conversation.type.ts';

builder.queryField('conversations', (t) =>
  t.prismaConnection({
    type: Conversation,
    cursor: 'id',
    description: 'Most recent activity first.',
    args: { search: t.arg.string({ description: 'Only conversations with a participant containing this text (any case).' }) },
    resolve: (query, _root, args, ctx) => {
      const search = args.search?.trim();
      if (search && !isStorable(search)) {
        throw createGraphQLError('search contains characters no conversation can contain (such as NUL).', { extensions: { code: 'INVALID_CHARACTERS' } });
      }
      // Prisma hands `contains` to ILIKE as it is: %, _ and \ must match themselves, not patterns.
      const contains = { contains: search?.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' } as const;
      return ctx.prisma.conversation.findMany({
        ...query,
        where: search ? { OR: [{ participantA: contains }, { participantB: contains }] } : undefined,
        orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
      });
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
