import type { MessageTemplate as Template } from '../../modules/channels/channel.ts';
import { CodedError } from '../../lib/errors.ts';
import { builder } from '../builder.ts';

const TemplateVariable = builder.objectRef<Template['variables'][number]>('TemplateVariable').implement({
  description: 'A blank of a template.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'As the template writes it: "1" for {{1}}.' }),
    example: t.exposeString('example', { description: 'The sample value the template was approved with (may be empty).' }),
  }),
});

const MessageTemplate = builder.objectRef<Template>('MessageTemplate').implement({
  description: "A message approved in advance by WhatsApp (Twilio's Content API), to send with its blanks filled in.",
  fields: (t) => ({
    sid: t.exposeString('sid', { description: "Twilio's ContentSid (HX…): `sendMessage(input: { contentSid })`." }),
    name: t.exposeString('name'),
    language: t.exposeString('language'),
    body: t.exposeString('body', { description: 'Its text, with blanks written {{1}}, {{2}}, …' }),
    variables: t.field({ type: [TemplateVariable], resolve: (m) => m.variables }),
  }),
});

builder.queryField('messageTemplates', (t) =>
  t.field({
    type: [MessageTemplate],
    description:
      "The account's approved WhatsApp templates, listed from Twilio and kept for ten minutes (the simulator has two). Empty when WhatsApp is not set up.",
    resolve: async (_root, _args, ctx) => {
      try {
        return await ctx.messages.templates('WHATSAPP');
      } catch (err) {
        throw new CodedError('CHANNEL_UNAVAILABLE', `The templates could not be read from the provider: ${(err as Error).message}`);
      }
    },
  }),
);
