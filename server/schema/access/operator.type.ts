import { builder } from '../builder.ts';

/** A member of the team, as others see them: who a conversation is assigned to. */
export const Operator = builder.prismaObject('Operator', {
  description: 'A person who uses the inbox. Their email stays with them (`viewer.email`).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
  }),
});

builder.queryField('operators', (t) =>
  t.prismaField({
    type: [Operator],
    description: 'Everyone on the team, by name: whom a conversation can be assigned to.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.operator.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
);
