import { builder } from '../builder.ts';
import { searchContacts } from '../../modules/contacts/contacts.service.ts';
import { Contact } from './contact.type.ts';

const MAX_SUGGESTIONS = 20;

builder.queryField('contactSuggestions', (t) =>
  t.field({
    type: [Contact],
    description:
      'Contacts whose name or number holds what was typed (digits match a number however it is written), named ones first: what a To field suggests. At most `first` (20).',
    args: {
      search: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 8 }),
    },
    resolve: (_root, args, ctx) => searchContacts(ctx.db, args.search.slice(0, 200), Math.min(Math.max(args.first ?? 8, 1), MAX_SUGGESTIONS)),
  }),
);
