import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { Contact } from './contact.type.ts';
import { updateContact, type UpdateContactResult } from '../../modules/contacts/update-contact.ts';
import { mergeContacts, undoContactMerge, type MergeResult, type UndoResult } from '../../modules/contacts/merge-contacts.service.ts';

const UpdateContactInput = builder.inputType('UpdateContactInput', {
  fields: (t) => ({
    address: t.string({
      required: true,
      description: 'The phone number (as people write it: "(555) 123-4567" is read in SMS_DEFAULT_COUNTRY) or the name a conversation has.',
    }),
    name: t.string({ description: 'What to call them, up to 100 characters. Omitted: unchanged; null or blank: removed.' }),
    notes: t.string({ description: 'Notes for operators, up to 2000 characters. Omitted: unchanged; null or blank: removed.' }),
  }),
});

const UpdateContactPayload = builder.objectRef<UpdateContactResult>('UpdateContactPayload').implement({
  fields: (t) => ({
    contact: t.field({ type: Contact, nullable: true, resolve: (r) => r.contact }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('updateContact', (t) =>
  t.field({
    type: UpdateContactPayload,
    description: "Names a contact and keeps notes on them; every conversation with them shows the name, live in every window.",
    args: { input: t.arg({ type: UpdateContactInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateContact(ctx.db, input, ctx.messages.senders.defaultCountry),
  }),
);

const MergeContactsInput = builder.inputType('MergeContactsInput', {
  fields: (t) => ({
    into: t.string({ required: true, description: 'The contact that stays: its name is kept (the other’s when it has none).' }),
    address: t.string({
      required: true,
      description: 'The address to add to it: a new number, or another contact (all of whose addresses join). Read like `updateContact`’s.',
    }),
  }),
});

const MergeContactsPayload = builder.objectRef<MergeResult>('MergeContactsPayload').implement({
  fields: (t) => ({
    contact: t.field({ type: Contact, nullable: true, description: 'The person, `into`, with every address.', resolve: (r) => r.contact }),
    undoId: t.id({ nullable: true, description: 'For `undoContactMerge`, by the same session or token, within a day.', resolve: (r) => r.undoId }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('mergeContacts', (t) =>
  t.field({
    type: MergeContactsPayload,
    description:
      'Makes two contacts one person with several addresses (or adds a new number to a contact): one name and notes (both notes kept when they fit), the conversations of every address together under `Contact.conversations`, a name typed as a recipient texting the number of their latest conversation. `ALREADY_ONE_CONTACT`, `INVALID_PHONE_NUMBER`, `INVALID_ADDRESS`.',
    args: { input: t.arg({ type: MergeContactsInput, required: true }) },
    resolve: (_root, { input }, ctx) => mergeContacts(ctx.db, ctx.principal, input, ctx.messages.senders.defaultCountry),
  }),
);

const UndoContactMergePayload = builder.objectRef<UndoResult>('UndoContactMergePayload').implement({
  fields: (t) => ({
    contact: t.field({ type: Contact, nullable: true, description: 'The contact that was kept, as it is again.', resolve: (r) => r.contact }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('undoContactMerge', (t) =>
  t.field({
    type: UndoContactMergePayload,
    description:
      'Puts both contacts back as they were before `mergeContacts`: by the session or token that merged, once, within a day. `UNDO_NOT_AVAILABLE` otherwise; `CONTACT_CHANGED` when either was renamed or opted out since (nothing is undone).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => undoContactMerge(ctx.db, ctx.principal, String(args.id)),
  }),
);
