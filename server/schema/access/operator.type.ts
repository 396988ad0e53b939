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
  }),
});

builder.queryField('operators', (t) =>
  t.prismaField({
    type: [Operator],
    description: 'Everyone on the team, by name: whom a conversation can be assigned to.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.operator.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
);
