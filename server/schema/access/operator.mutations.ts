import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import type { OperatorRecord } from '../../db/tables/operators.ts';
import { changeRole, disableOperator, enableOperator } from '../../modules/access/team.service.ts';
import type { Principal } from '../../modules/access/principal.ts';
import type { Database } from '../../db/database.ts';
import { Operator, OperatorRoleEnum } from './operator.type.ts';

interface OperatorResult {
  operator: OperatorRecord | null;
  errors: UserErrorShape[];
}

/** A payload answering with the operator as they are now, or why not. */
const operatorPayload = (name: string) =>
  builder.objectRef<OperatorResult>(name).implement({
    fields: (t) => ({
      operator: t.prismaField({
        type: Operator,
        nullable: true,
        resolve: (query, r, _args, ctx) => (r.operator ? ctx.prisma.operator.findUnique({ ...query, where: { id: r.operator.id } }) : null),
      }),
      errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
    }),
  });

type Change = (db: Database, by: Principal, id: string) => Promise<{ ok: true; value: OperatorRecord } | { ok: false; errors: UserErrorShape[] }>;

/** Checks the id, runs the change, and answers in the payload's shape. */
async function changeOperator(ctx: { db: Database; principal: Principal }, rawId: unknown, change: Change): Promise<OperatorResult> {
  const id = String(rawId);
  if (!isUuid(id)) return { operator: null, errors: [userError('id', 'INVALID_ID', `"${id.slice(0, 60)}" is not an operator id.`)] };
  const outcome = await change(ctx.db, ctx.principal, id.toLowerCase());
  return outcome.ok ? { operator: outcome.value, errors: [] } : { operator: null, errors: outcome.errors };
}

const SetOperatorRolePayload = operatorPayload('SetOperatorRolePayload');

builder.mutationField('setOperatorRole', (t) =>
  t.field({
    type: SetOperatorRolePayload,
    description:
      'Makes an operator an admin or an agent; it applies to their next request. Admins only. `LAST_ADMIN` when it would leave the team without an admin; `INVALID_ID`, `NOT_FOUND`.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }), role: t.arg({ type: OperatorRoleEnum, required: true }) },
    resolve: (_root, args, ctx) => changeOperator(ctx, args.id, (db, by, id) => changeRole(db, by, id, args.role)),
  }),
);

const OperatorAccessPayload = operatorPayload('OperatorAccessPayload');

builder.mutationField('disableOperator', (t) =>
  t.field({
    type: OperatorAccessPayload,
    description:
      'Disables an operator who has left: they cannot sign in, their sessions and the API tokens they made end at once (open streams close, on every replica), and conversations assigned to them go back to nobody. Their name stays on their messages and notes. Admins only. `CANNOT_DISABLE_SELF`, `LAST_ADMIN` (the last working admin), `INVALID_ID`, `NOT_FOUND`.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => changeOperator(ctx, args.id, disableOperator),
  }),
);

builder.mutationField('enableOperator', (t) =>
  t.field({
    type: OperatorAccessPayload,
    description: 'Lets a disabled operator sign in again (sessions and tokens that ended stay ended). Admins only. `INVALID_ID`, `NOT_FOUND`.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => changeOperator(ctx, args.id, enableOperator),
  }),
);
