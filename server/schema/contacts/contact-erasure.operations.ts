import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import type { UserErrorShape } from '../../lib/errors.ts';
import { eraseContact, erasurePreview, type ErasureCounts } from '../../modules/contacts/erasure.service.ts';

const ErasureCountsRef = builder.objectRef<ErasureCounts>('ErasureCounts').implement({
  description: 'What erasing a contact deletes (or deleted).',
  fields: (t) => ({
    conversations: t.exposeInt('conversations'),
    messages: t.exposeInt('messages'),
    notes: t.exposeInt('notes'),
  }),
});

builder.queryField('erasurePreview', (t) =>
  t.field({
    type: ErasureCountsRef,
    nullable: true,
    description: 'What `eraseContact` would delete for this address, for a confirmation that names it; null when the address cannot be read. Admins only.',
    authScopes: { admin: true },
    args: { address: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const preview = await erasurePreview(ctx.db, args.address.slice(0, 1000), ctx.messages.senders.defaultCountry);
      return 'counts' in preview ? preview.counts : null;
    },
  }),
);

interface EraseResult {
  erased: ErasureCounts | null;
  errors: UserErrorShape[];
}

const EraseContactPayload = builder.objectRef<EraseResult>('EraseContactPayload').implement({
  fields: (t) => ({
    erased: t.field({ type: ErasureCountsRef, nullable: true, resolve: (r) => r.erased }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('eraseContact', (t) =>
  t.field({
    type: EraseContactPayload,
    description:
      'Erases a contact at their request: every conversation with the address, its messages, media, delivery reports, notes and read state, and the change feed’s copies of them (subscribers get each message’s DELETE, without content). An opted-out number stays opted out (its name and notes cleared). Cannot be undone; recorded in the audit log with counts, not the person. Admins only. `INVALID_ADDRESS`.',
    authScopes: { admin: true },
    args: { address: t.arg.string({ required: true, description: 'The number (as people write it) or the name a conversation has.' }) },
    resolve: async (_root, args, ctx) => {
      const result = await eraseContact(ctx.db, ctx.principal, args.address.slice(0, 1000), ctx.messages.senders.defaultCountry);
      return 'code' in result ? { erased: null, errors: [result] } : { erased: result, errors: [] };
    },
  }),
);
