import { builder } from '../builder.ts';
import { SendChannel } from './message.mutations.ts';
import { UserError } from '../errors.ts';
import { Contact } from '../contacts/contact.type.ts';
import { readRecipient, type RecipientReading } from '../../modules/messages/recipient.ts';

const RecipientKind = builder.enumType('RecipientKind', {
  values: {
    SMS: { description: 'A phone number: the message goes by SMS.' },
    WHATSAPP: { description: 'A phone number on WhatsApp ("whatsapp:+…", or `channel: WHATSAPP`).' },
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
    freeTextUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: "WhatsApp: until when free text may go (24 hours after the customer's last message); null when only a template may. Null for SMS and names too.",
      resolve: (r) => r.freeTextUntil ?? null,
    }),
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
    args: { to: t.arg.string({ required: true }), channel: t.arg({ type: SendChannel, description: 'Read a phone number on this channel, as `sendMessage(channel:)` would.' }) },
    resolve: (_root, { to, channel }, ctx) =>
      readRecipient(ctx.db, ctx.messages.senders, ctx.messages.limits, to.slice(0, 1000), channel, {
        freeTextUntil: (id, address) => ctx.messages.freeTextUntil(id, address),
      }),
  }),
);
