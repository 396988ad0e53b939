import { builder } from '../builder.ts';

export const OperatorRoleEnum = builder.enumType('OperatorRole', {
  description: 'What an operator may do.',
  values: {
    ADMIN: { description: 'Everything an agent does, and operators, API tokens and settings.' },
    AGENT: { description: 'Conversations, contacts, notes and saved replies.' },
  },
});

/** A member of the team, as others see them: who a conversation is assigned to. */
export const Operator = builder.prismaObject('Operator', {
  description: 'A person who uses the inbox. Their email stays with them (`viewer.email`).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.field({ type: OperatorRoleEnum, description: 'ADMIN manages the team, API tokens and settings; AGENT works the conversations.', resolve: (o) => o.role }),
    disabled: t.boolean({
      description: 'Disabled by an admin (`disableOperator`): cannot sign in, and cannot be assigned or mentioned; their name stays on what they did.',
      resolve: (o) => o.disabledAt !== null,
    }),
  }),
});

builder.queryField('operators', (t) =>
  t.prismaField({
    type: [Operator],
    description: 'Everyone on the team, by name: whom a conversation can be assigned to. Disabled operators only with `includeDisabled`.',
    args: { includeDisabled: t.arg.boolean({ defaultValue: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.operator.findMany({ ...query, where: args.includeDisabled ? {} : { disabledAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
);
