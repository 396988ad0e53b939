import { builder } from '../builder.ts';
import { Node } from '../node/node.ts';
import { Operator } from '../access/operator.type.ts';
import { loadBatched } from '../../modules/contacts/batch.ts';
import { loadMentioned, loadMentionSeen, mentionable } from '../../modules/notes/notes.service.ts';

/** Operators by id, for a page of notes' mentions in one read. */
function loadOperator(ctx: Parameters<typeof loadMentioned>[0] & { prisma: import('../../generated/prisma/client.ts').PrismaClient }, id: string) {
  return loadBatched(ctx, 'operator', id, async (ids: string[]) => {
    const found = new Map((await ctx.prisma.operator.findMany({ where: { id: { in: ids } } })).map((o) => [o.id, o]));
    return ids.map((i) => found.get(i));
  });
}

export const Note = builder.prismaObject('Note', {
  interfaces: [Node],
  description:
    'An internal note: written in a conversation for the team, never sent to the contact, and never among its `messages`. `@Name` in the body mentions an operator, who finds it in `mentions`.',
  fields: (t) => ({
    id: t.exposeID('id'),
    conversationId: t.exposeID('conversationId'),
    conversation: t.relation('conversation'),
    body: t.exposeString('body'),
    authorKind: t.string({ description: '`OPERATOR`, or `TOKEN` for a program writing with an API token.', resolve: (n) => n.authorKind }),
    authorName: t.exposeString('authorName', { description: 'Who wrote it, named as they were then.' }),
    authorOperatorId: t.id({ nullable: true, description: "The author's operator id (compare with `viewer.operatorId`); null for a program.", resolve: (n) => (n.authorKind === 'OPERATOR' ? n.authorId : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    mentioned: t.field({
      type: [Operator],
      description: 'The operators it mentions (not its author).',
      resolve: async (n, _args, ctx) => (await Promise.all((await loadMentioned(ctx, n.id)).map((id) => loadOperator(ctx, id)))).filter((o) => o !== undefined),
    }),
    mentionSeen: t.boolean({
      nullable: true,
      description: 'For a note that mentions the viewer: whether they have seen it (`markMentionsSeen`). Null otherwise.',
      resolve: (n, _args, ctx) => loadMentionSeen(ctx, n.id),
    }),
    mentionsViewer: t.boolean({
      description: 'Whether it mentions the viewer.',
      resolve: async (n, _args, ctx) => mentionable(ctx.principal) && (await loadMentioned(ctx, n.id)).includes(ctx.principal.id),
    }),
  }),
});
