import { builder } from '../../schema/builder.ts';
import { Conversation } from '../conversations/conversation.type.ts';
import { Message } from '../messages/message.type.ts';
import { E164 } from '../messages/send-input.ts';

const MessageMedia = builder.prismaObject('MessageMedia', {
  description: 'An attachment of an inbound MMS.',
  fields: (t) => ({
    url: t.exposeString('url'),
    contentType: t.exposeString('contentType', { nullable: true }),
  }),
});
void MessageMedia;

const StatusEvent = builder.prismaObject('MessageStatusEvent', {
  description: 'A status the SMS provider reported, as it said it.',
  fields: (t) => ({
    status: t.exposeString('status', { description: "The provider's word, e.g. sent, delivered, undelivered; kept even when Hatch does not know it." }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(Message, (t) => ({
  media: t.relation('media', { query: { orderBy: { position: 'asc' } } }),
  statusHistory: t.field({
    type: [StatusEvent],
    description: 'Every status report for an outbound SMS, oldest first.',
    resolve: (m, _args, ctx) =>
      m.providerSid ? ctx.prisma.messageStatusEvent.findMany({ where: { providerSid: m.providerSid }, orderBy: { id: 'asc' } }) : [],
  }),
}));

interface ContactShape {
  address: string;
  optedOut: boolean;
}

const Contact = builder.objectRef<ContactShape>('Contact').implement({
  description: 'A participant reachable by SMS, and whether they may be texted.',
  fields: (t) => ({
    address: t.exposeString('address'),
    optedOut: t.exposeBoolean('optedOut', { description: 'They replied STOP (or Twilio said so); they get no SMS until they reply START.' }),
  }),
});

builder.prismaObjectFields(Conversation, (t) => ({
  contacts: t.field({
    type: [Contact],
    description: 'The participants that are phone numbers.',
    resolve: async (c, _args, ctx) => {
      const numbers = [c.participantA, c.participantB].filter((p) => E164.test(p));
      if (numbers.length === 0) return [];
      const rows = await ctx.prisma.contact.findMany({ where: { address: { in: numbers } } });
      return numbers.map((address) => ({ address, optedOut: rows.find((r) => r.address === address)?.optedOut ?? false }));
    },
  }),
}));
