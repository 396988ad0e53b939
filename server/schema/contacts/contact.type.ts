import { formatForPeople } from '../../lib/phone.ts';
import { builder } from '../builder.ts';
import type { ContactState } from '../../modules/contacts/contacts.service.ts';
import { optOutText } from '../../modules/contacts/opt-out-text.ts';

export const OptOutReason = builder.enumType('OptOutReason', {
  description: 'Why a number receives no SMS.',
  values: {
    STOP_REPLY: { description: 'They replied STOP (or UNSUBSCRIBE, CANCEL, END, QUIT, STOPALL).' },
    PROVIDER_ERROR: { description: 'Twilio refused a send with error 21610: the carrier or Twilio has them as opted out.' },
    TEST_NUMBER: { description: "Twilio's test number for an opted-out recipient (+15005550004): it never receives SMS." },
  },
});

export const Contact = builder.objectRef<ContactState>('Contact').implement({
  description: 'Someone this inbox talks to, by address (a phone number or a name): what operators call them, and whether they may be texted.',
  fields: (t) => ({
    address: t.exposeString('address', { description: 'As stored: an E.164 number, or a name.' }),
    name: t.exposeString('name', { nullable: true, description: 'The name operators gave them (`updateContact`).' }),
    notes: t.exposeString('notes', { nullable: true }),
    display: t.string({
      description: 'The address written for people: "+1 555-123-4567" for a number, the name as stored otherwise.',
      resolve: (c) => formatForPeople(c.address),
    }),
    displayName: t.string({ description: 'What to call them: `name`, else `display`.', resolve: (c) => c.name ?? formatForPeople(c.address) }),
    optedOut: t.exposeBoolean('optedOut', { description: 'They get no SMS until they reply START; `optOutReason` says why.' }),
    optedOutAt: t.expose('optedOutAt', { type: 'DateTime', nullable: true }),
    optOutReason: t.field({
      type: OptOutReason,
      nullable: true,
      description: 'Null when not opted out, and for opt-outs recorded before reasons were.',
      resolve: (c) => c.optOutReason,
    }),
    optOutNote: t.string({
      nullable: true,
      description: 'Why they receive no SMS, in words for people (from `optOutReason`); null when they may be texted.',
      resolve: (c) => (c.optedOut ? optOutText(c.address, c.optOutReason) : null),
    }),
  }),
});
