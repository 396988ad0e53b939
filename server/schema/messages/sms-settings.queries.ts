import { formatForPeople, isCountryCode } from '../../lib/phone.ts';
import { builder } from '../builder.ts';

interface SmsSettingsShape {
  simulated: boolean;
  from: string;
  defaultCountry: string | null;
  allowedCountries: string[] | null;
  whatsappFrom: string | null;
}

const SmsSettings = builder.objectRef<SmsSettingsShape>('SmsSettings').implement({
  description: 'How this server sends SMS, for the inbox to show.',
  fields: (t) => ({
    simulated: t.exposeBoolean('simulated', {
      description: 'No Twilio credentials are set: SMS go through the built-in simulator and nothing leaves this machine.',
    }),
    from: t.exposeString('from', { description: 'The number SMS are sent from when a request does not say (TWILIO_PHONE_NUMBER).' }),
    fromDisplay: t.string({ resolve: (s) => formatForPeople(s.from) }),
    defaultCountry: t.exposeString('defaultCountry', { nullable: true, description: 'ISO code of numbers typed without + and a country code.' }),
    allowedCountries: t.exposeStringList('allowedCountries', { nullable: true, description: 'ISO codes SMS may go to; null for anywhere.' }),
    whatsappFrom: t.exposeString('whatsappFrom', {
      nullable: true,
      description: 'The WhatsApp sender ("whatsapp:+…", WHATSAPP_FROM); null when WhatsApp is not set up, and only SMS is offered.',
    }),
  }),
});

builder.queryField('smsSettings', (t) =>
  t.field({
    type: SmsSettings,
    resolve: (_root, _args, ctx) => {
      const { senders, limits } = ctx.messages;
      const country = senders.defaultCountry && isCountryCode(senders.defaultCountry) ? senders.defaultCountry : null;
      return {
        simulated: ctx.messages.smsProvider === 'simulator',
        from: senders.smsFrom,
        defaultCountry: country,
        allowedCountries: limits.countries === 'any' ? null : limits.countries,
        whatsappFrom: senders.whatsappFrom ?? null,
      };
    },
  }),
);
