import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { Contact } from './contact.type.ts';
import { updateContact, type UpdateContactResult } from '../../modules/contacts/update-contact.ts';

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
