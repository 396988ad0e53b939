import type { UserErrorShape } from '../modules/messages/send-input.ts';
import { builder } from './builder.ts';

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with the input that the user can fix. `code` is stable; `message` is for people.',
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, when there is one.' }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});
