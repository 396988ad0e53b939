import { isE164 } from '../../lib/phone.ts';
import { builder } from '../builder.ts';
import { loadContact } from '../../modules/contacts/contact-loader.ts';
import { Contact } from '../contacts/contact.type.ts';
import { Message, MessageChannel } from '../messages/message.type.ts';
import { channelOfAddress } from '../../modules/messages/messages.service.ts';
import { windowEndAfter } from '../../modules/messages/whatsapp-rules.ts';
import { Node } from '../node/node.ts';
import { Operator } from '../access/operator.type.ts';
import { Note } from '../notes/note.type.ts';
import { loadNote } from '../../modules/notes/notes.service.ts';
import { loadFirstUnread, loadLastInbound, loadLastMessage } from '../../modules/conversations/thread-ends.ts';
import { loadReadState, unreadOf } from '../../modules/conversations/read-state.ts';

export const Conversation = builder.prismaObject('Conversation', {
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    participants: t.stringList({
      description: 'The two participants, in a stable order.',
      resolve: (c) => [c.participantA, c.participantB],
    }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When anything about the conversation or its contact last changed: the newer of two copies has the later one.',
    }),
    unreadCount: t.int({
      description:
        "Inbound messages the viewer has not read: each operator has their own count, and a program its token's. A new operator or token starts with what came before it read.",
      resolve: async (c, _args, ctx) => unreadOf(c, await loadReadState(ctx, c)),
    }),
    lastReadAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the viewer last marked it read; null if never.',
      resolve: async (c, _args, ctx) => (await loadReadState(ctx, c))?.lastReadAt ?? null,
    }),
    done: t.boolean({
      description: 'Marked done (`markConversationDone`); a message from the contact opens it again.',
      resolve: (c) => c.doneAt !== null,
    }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }),
    snoozedUntil: t.expose('snoozedUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'Snoozed until then (`snoozeConversation`): out of the Open list while it is to come. Kept once it has woken, as a marker.',
    }),
    snoozeWokeAt: t.expose('snoozeWokeAt', { type: 'DateTime', nullable: true, description: 'When the snooze ran out and it came back to Open; null before.' }),
    assignee: t.field({
      type: Operator,
      nullable: true,
      description: 'The operator who has taken it (`assignConversation`); null when nobody has.',
      // By the id this copy of the row holds (a change-feed event carries the row as it was then);
      // Prisma batches the lookups of one page into one query.
      resolve: (c, _args, ctx) => (c.assigneeId ? ctx.prisma.operator.findUnique({ where: { id: c.assigneeId } }) : null),
    }),
    cursor: t.string({
      nullable: true,
      description: 'In a `conversationUpdated` event: the change\'s position in the feed, to resume from with `after`. Null elsewhere.',
      resolve: (c) => (c as { cursor?: string }).cursor ?? null,
    }),
    lastMessage: t.field({
      type: Message,
      nullable: true,
      // Read with the page when it came from the list; else one query for the whole page, one row per conversation.
      resolve: (c, _args, ctx) => loadLastMessage(ctx, c),
    }),
    firstUnread: t.field({
      type: Message,
      nullable: true,
      description:
        'The oldest message the viewer has not read (of the newest `unreadCount` from the other side): where a thread opens and draws its "unread" line. Null when nothing is unread.',
      resolve: async (c, _args, ctx) => loadFirstUnread(ctx, { id: c.id, unreadCount: unreadOf(c, await loadReadState(ctx, c)) }),
    }),
    notes: t.relatedConnection('notes', {
      description: "The team's internal notes in it, oldest to newest (`last` for the newest). Never sent; never among `messages`.",
      cursor: 'id',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }, { name: 'NoteConnection' }, { name: 'NoteEdge' }),
    noteCount: t.exposeInt('noteCount', { description: 'How many notes it has.' }),
    lastNote: t.field({
      type: Note,
      nullable: true,
      description: 'Its newest note. In a `conversationUpdated` event, the note as of that change: a subscriber resuming by cursor gets each note added meanwhile, one event each.',
      // By the id the row (or the feed's copy of it) names; a page's notes in one read.
      resolve: async (c, _args, ctx) => (c.lastNoteId ? ((await loadNote(ctx, c.lastNoteId)) ?? null) : null),
    }),
    messages: t.relatedConnection('messages', {
      description: 'Oldest to newest.',
      cursor: 'id',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }, { name: 'MessageConnection' }, { name: 'MessageEdge' }),
    channel: t.field({
      type: MessageChannel,
      description: 'How this conversation reaches the other side: SMS (a phone number), WHATSAPP ("whatsapp:" addresses), or INTERNAL (names, stored only). Each channel of one number is its own conversation.',
      resolve: (c) => channelOfAddress(c.participantA) === 'INTERNAL' ? channelOfAddress(c.participantB) : channelOfAddress(c.participantA),
    }),
    freeTextUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        "WhatsApp only: until when free text may be sent, 24 hours after the customer's last message; after that (or when they never wrote, null) only an approved template (`messageTemplates`) may be, and `sendMessage` refuses free text with OUTSIDE_SESSION_WINDOW. Null for other channels, where free text is always allowed.",
      // Read for the whole page at once: the newest inbound message of each WhatsApp conversation.
      resolve: async (c, _args, ctx) => {
        const windowMs = ctx.messages.freeTextWindowMs(c.ours === c.participantA ? c.participantB : c.participantA);
        if (windowMs === undefined) return null;
        return windowEndAfter((await loadLastInbound(ctx, c.id))?.createdAt, windowMs);
      },
    }),
    ours: t.exposeString('ours', {
      nullable: true,
      description:
        "The participant that is this inbox's side (our number, or the name we send as): set when the conversation starts. Null when neither side is known to be ours; then replies must say `from`.",
    }),
    // Contacts of a whole page are read in one query (see contacts/batch.ts).
    contact: t.field({
      type: Contact,
      nullable: true,
      description: 'The other participant, the one this inbox talks to; null when `ours` is null.',
      resolve: (c, _args, ctx) => {
        if (c.ours == null) return null;
        return loadContact(ctx, c.ours === c.participantA ? c.participantB : c.participantA);
      },
    }),
    contacts: t.field({
      type: [Contact],
      description: 'The participants that are phone numbers.',
      resolve: (c, _args, ctx) => Promise.all([c.participantA, c.participantB].filter(isE164).map((a) => loadContact(ctx, a))),
    }),
    participantContacts: t.field({
      type: [Contact],
      description: 'Both participants as contacts, in the order of `participants`: how to name each sender when neither side is ours.',
      resolve: (c, _args, ctx) => Promise.all([c.participantA, c.participantB].map((a) => loadContact(ctx, a))),
    }),
  }),
});
