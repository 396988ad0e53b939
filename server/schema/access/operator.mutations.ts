import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { setRole, type OperatorRecord } from '../../db/tables/operators.ts';
import { Operator, OperatorRoleEnum } from './operator.type.ts';

interface SetRoleResult {
  operator: OperatorRecord | null;
  errors: UserErrorShape[];
}

const SetOperatorRolePayload = builder.objectRef<SetRoleResult>('SetOperatorRolePayload').implement({
  fields: (t) => ({
    operator: t.prismaField({
      type: Operator,
      nullable: true,
      resolve: (query, r, _args, ctx) => (r.operator ? ctx.prisma.operator.findUnique({ ...query, where: { id: r.operator.id } }) : null),
    }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('setOperatorRole', (t) =>
  t.field({
    type: SetOperatorRolePayload,
    description:
      'Makes an operator an admin or an agent; it applies to their next request. Admins only. `LAST_ADMIN` when it would leave the team without an admin; `INVALID_ID`, `NOT_FOUND`.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), role: t.arg({ type: OperatorRoleEnum, required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { operator: null, errors: [userError('id', 'INVALID_ID', `"${id.slice(0, 60)}" is not an operator id.`)] };
      const outcome = await ctx.db.transaction((tx) => setRole(tx, id.toLowerCase(), args.role));
      if (outcome === 'not-found') return { operator: null, errors: [userError('id', 'NOT_FOUND', `No operator with id "${id}".`)] };
      if (outcome === 'last-admin') return { operator: null, errors: [userError('role', 'LAST_ADMIN', 'The team needs at least one admin: make someone else an admin first.')] };
      return { operator: outcome, errors: [] };
    },
  }),
);
