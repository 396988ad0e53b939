import { builder } from '../builder.ts';
import { badUserInput, isUuid, notFound } from '../../lib/errors.ts';
import { REPLY_VARIABLES } from '../../lib/reply-variables.ts';
import type { SavedReplyRecord } from '../../db/tables/saved-replies.ts';
import { filledReply } from '../../modules/saved-replies/fill.ts';
import { Operator } from '../access/operator.type.ts';

export const SavedReply = builder.objectRef<SavedReplyRecord>('SavedReply').implement({
  description:
    'An answer the team saved to send again. Its `body` may hold variables (`savedReplyVariables`), written `{{contact.name}}` or with a fallback, `{{contact.first_name | there}}`; `text` fills them in.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: 'Unique in any case; the composer finds a reply by it after `/`.' }),
    body: t.exposeString('body', { description: 'As saved, variables unfilled.' }),
    text: t.string({
      description:
        "The body with its variables filled in for the viewer (`operator.*`) and the conversation's contact (`contact.*`). A variable with no value takes its fallback, or stays as written, so that what is missing shows before sending. Without `conversationId`, only the viewer's.",
      args: { conversationId: t.arg.id({ required: false }) },
      resolve: async (r, args, ctx) => {
        const id = args.conversationId == null ? null : String(args.conversationId);
        if (id !== null && !isUuid(id)) throw badUserInput(`"${id.slice(0, 60)}" is not a conversation id.`);
        const operatorName = ctx.principal.kind === 'operator' ? ctx.principal.name : null;
        const text = await filledReply(ctx.db, r.body, id?.toLowerCase() ?? null, operatorName);
        if (text === undefined) throw notFound('conversation', id!);
        return text;
      },
    }),
    createdBy: t.field({
      type: Operator,
      nullable: true,
      description: 'The operator who saved it; null when a program did, or they have left.',
      resolve: (r, _args, ctx) => (r.createdById ? ctx.prisma.operator.findUnique({ where: { id: r.createdById } }) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

interface Variable {
  name: string;
  description: string;
}

export const SavedReplyVariable = builder.objectRef<Variable>('SavedReplyVariable').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'As written in a body, between `{{` and `}}`.' }),
    description: t.exposeString('description'),
  }),
});

export const savedReplyVariables = (): Variable[] => Object.entries(REPLY_VARIABLES).map(([name, description]) => ({ name, description }));
