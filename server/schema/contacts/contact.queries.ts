import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { MAX_PAGE_SIZE } from '../pages.ts';
import { Conversation } from '../conversations/conversation.type.ts';
import { Message } from '../messages/message.type.ts';
import { badUserInput, userError, type UserErrorShape } from '../../lib/errors.ts';
import { contactsPage, searchContacts } from '../../modules/contacts/contacts.service.ts';
import { loadContact, loadPersonAddresses } from '../../modules/contacts/contact-loader.ts';
import { describeAddress } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import type { ImportProblem } from '../../modules/contacts/contacts-csv.ts';
import { exportContacts, importContacts, type ImportReport } from '../../modules/contacts/contacts-transfer.service.ts';
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

builder.queryField('contact', (t) =>
  t.field({
    type: Contact,
    nullable: true,
    description: 'The contact of an address, read as a recipient is ("(555) 123-4567" in SMS_DEFAULT_COUNTRY); one nobody has named yet too. Null when it is no address.',
    args: { address: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => {
      const read = isStorable(args.address) ? describeAddress(args.address.slice(0, 200), ctx.messages.senders.defaultCountry) : undefined;
      return read?.address ? loadContact(ctx, read.address) : null;
    },
  }),
);

const PAGE = 50;

const cursorOf = (k: { key: string; address: string }) => Buffer.from(JSON.stringify([k.key, k.address])).toString('base64url');
function afterOf(cursor: string | null | undefined): { key: string; address: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [key, address] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof address === 'string') return { key, address };
  } catch {
    // not one of ours: refused below
  }
  throw badUserInput(`"${cursor.slice(0, 60)}" is not a cursor of this list.`);
}

builder.queryField('contacts', (t) =>
  t.connection({
    type: Contact,
    description: 'Every contact, by name (a number without a name by the number), those whose name or number holds `search` only. Forward paging only.',
    args: { search: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const first = Math.min(Math.max(args.first ?? PAGE, 1), MAX_PAGE_SIZE);
      const page = await contactsPage(ctx.db, (args.search ?? '').slice(0, 200), first, afterOf(args.after));
      return {
        edges: page.contacts.map((node, i) => ({ node, cursor: cursorOf(page.keys[i]!) })),
        pageInfo: {
          hasNextPage: page.more,
          hasPreviousPage: Boolean(args.after),
          startCursor: page.keys[0] ? cursorOf(page.keys[0]) : null,
          endCursor: page.keys.at(-1) ? cursorOf(page.keys.at(-1)!) : null,
        },
      };
    },
  }),
);

builder.objectField(Contact, 'addresses', (t) =>
  t.field({
    type: [Contact],
    description: 'Every address of this person (a mobile and an office number, see `mergeContacts`): this one first, then the others by address.',
    resolve: (c, _args, ctx) => loadPersonAddresses(ctx, c.address),
  }),
);

/** Where a conversation is with any of the person's addresses, in any case. */
async function withPerson(ctx: Parameters<typeof loadPersonAddresses>[0], address: string) {
  const addresses = (await loadPersonAddresses(ctx, address)).map((a) => a.address);
  return {
    OR: addresses.flatMap((a) => [{ participantA: { equals: a, mode: 'insensitive' as const } }, { participantB: { equals: a, mode: 'insensitive' as const } }]),
  };
}

builder.objectField(Contact, 'messages', (t) =>
  t.prismaConnection(
    {
      type: Message,
      cursor: 'id',
      description:
        "Every message with this person, at any of their addresses, oldest to newest: one person's conversations together (page back from the newest with `last` and `before`).",
      resolve: async (query, c, _args, ctx) =>
        ctx.prisma.message.findMany({ ...query, where: { conversation: await withPerson(ctx, c.address) }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    },
    { name: 'ContactMessageConnection' },
    { name: 'ContactMessageEdge' },
  ),
);

builder.objectField(Contact, 'conversations', (t) =>
  t.prismaField({
    type: [Conversation],
    description: "The conversations with this person, at any of their addresses, most recent first (the latest 20).",
    resolve: async (query, c, _args, ctx) =>
      ctx.prisma.conversation.findMany({ ...query, where: await withPerson(ctx, c.address), orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }], take: 20 }),
  }),
);

const ImportProblemRef = builder.objectRef<ImportProblem>('ContactImportProblem').implement({
  description: 'A row of an import that was not used, and why.',
  fields: (t) => ({ line: t.exposeInt('line'), message: t.exposeString('message') }),
});

interface ImportResult {
  report: ImportReport | null;
  errors: UserErrorShape[];
}

const ImportContactsPayload = builder.objectRef<ImportResult>('ImportContactsPayload').implement({
  fields: (t) => ({
    created: t.int({ nullable: true, resolve: (r) => r.report?.created ?? null }),
    updated: t.int({ nullable: true, resolve: (r) => r.report?.updated ?? null }),
    unchanged: t.int({ nullable: true, resolve: (r) => r.report?.unchanged ?? null }),
    problems: t.field({ type: [ImportProblemRef], description: 'Rows not understood (and skipped), by line.', resolve: (r) => r.report?.problems ?? [] }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('importContacts', (t) =>
  t.field({
    type: ImportContactsPayload,
    description:
      'Imports contacts from CSV (a header naming `number`, `name`, `notes`; numbers read in SMS_DEFAULT_COUNTRY): new numbers are added, known ones take the name and notes of the file, and the same file twice changes nothing the second time. Rows not understood are reported and skipped. Up to the request size limit (1 MB). Admins only. `INVALID_CSV`.',
    authScopes: { admin: true },
    args: { csv: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const report = await importContacts(ctx.db, ctx.principal, args.csv, ctx.messages.senders.defaultCountry);
      return typeof report === 'string' ? { report: null, errors: [userError('csv', 'INVALID_CSV', report)] } : { report, errors: [] };
    },
  }),
);

const ExportContactsPayload = builder.objectRef<{ csv: string; count: number }>('ExportContactsPayload').implement({
  fields: (t) => ({
    csv: t.exposeString('csv', { description: 'Every contact as CSV: number (E.164), name, notes.' }),
    count: t.exposeInt('count'),
  }),
});

builder.mutationField('exportContacts', (t) =>
  t.field({
    type: ExportContactsPayload,
    description: 'Every contact as CSV, to import here or elsewhere. A mutation because it is recorded in the audit log. Admins only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => exportContacts(ctx.db, ctx.principal),
  }),
);
