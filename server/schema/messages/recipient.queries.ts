import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { Contact } from '../contacts/contact.type.ts';
import { readRecipient, type RecipientReading } from '../../modules/messages/recipient.ts';

const RecipientKind = builder.enumType('RecipientKind', {
  values: {
    SMS: { description: 'A phone number: the message goes by SMS.' },
    NAME: { description: 'A name: the conversation is kept in Hatch only.' },
    INVALID: { description: 'Looks like a phone number but is not one: refused, never taken as a name.' },
  },
});

const Recipient = builder.objectRef<RecipientReading>('Recipient').implement({
  description: 'How `sendMessage` would read a recipient as typed, for a composer to confirm ("SMS to +1 555-123-4567") before sending.',
  fields: (t) => ({
    kind: t.expose('kind', { type: RecipientKind }),
    address: t.exposeString('address', { nullable: true, description: 'What would be stored: the E.164 number, or the name.' }),
    display: t.exposeString('display', { nullable: true, description: 'The address written for people.' }),
    contact: t.field({ type: Contact, nullable: true, resolve: (r) => r.contact }),
    error: t.field({
      type: UserError,
      nullable: true,
      description: 'Why sending to it would be refused (the code and words of `sendMessage`), or null.',
      resolve: (r) => r.error,
    }),
  }),
});

builder.queryField('recipient', (t) =>
  t.field({
    type: Recipient,
    description: 'Reads a recipient as typed ("(555) 123-4567", "tel:+15551234567", a name) the way `sendMessage` would, with SMS_DEFAULT_COUNTRY.',
    args: { to: t.arg.string({ required: true }) },
    resolve: (_root, { to }, ctx) => readRecipient(ctx.db, ctx.messages.senders, ctx.messages.limits, to.slice(0, 1000)),
  }),
);
