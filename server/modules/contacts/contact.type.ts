import { builder } from '../../schema/builder.ts';
import type { ContactState } from './contacts.service.ts';

export const Contact = builder.objectRef<ContactState>('Contact').implement({
  description: 'A participant reachable by SMS, and whether they may be texted.',
  fields: (t) => ({
    address: t.exposeString('address'),
    optedOut: t.exposeBoolean('optedOut', { description: 'They replied STOP (or Twilio said so); they get no SMS until they reply START.' }),
  }),
});
