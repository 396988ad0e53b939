import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { addNote, MAX_NOTE_CHARS, mentionable, seeMentions, type AddNoteResult } from '../../modules/notes/notes.service.ts';
import { Note } from './note.type.ts';

const AddNoteInput = builder.inputType('AddNoteInput', {
  fields: (t) => ({
    conversationId: t.id({ required: true }),
    body: t.string({ required: true, description: `1 to ${MAX_NOTE_CHARS} characters. \`@Name\` mentions an operator by name.` }),
  }),
});

const AddNotePayload = builder.objectRef<AddNoteResult>('AddNotePayload').implement({
  fields: (t) => ({
    note: t.prismaField({ type: 'Note', nullable: true, resolve: (_q, r) => r.note }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('addNote', (t) =>
  t.field({
    type: AddNotePayload,
    description:
      'Adds an internal note to a conversation: stored for the team, never sent. Reaches every window through `conversationUpdated` (`lastNote`). A program with a `send` token may add notes; it is their author. `INVALID_ID`, `NOT_FOUND`, `EMPTY_BODY`, `BODY_TOO_LONG`, `INVALID_CHARACTERS`.',
    args: { input: t.arg({ type: AddNoteInput, required: true }) },
    resolve: (_root, { input }, ctx) => addNote(ctx.db, ctx.principal, { conversationId: String(input.conversationId), body: input.body }),
  }),
);

interface SeenResult {
  unseenMentionCount: number;
  errors: UserErrorShape[];
}

const MarkMentionsSeenPayload = builder.objectRef<SeenResult>('MarkMentionsSeenPayload').implement({
  fields: (t) => ({
    unseenMentionCount: t.exposeInt('unseenMentionCount', { description: 'What is left unseen afterwards.' }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('markMentionsSeen', (t) =>
  t.field({
    type: MarkMentionsSeenPayload,
    description: "Marks the viewer's mentions seen: in one conversation, or all of them without `conversationId`. Operators only.",
    authScopes: { operator: true },
    args: { conversationId: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      const id = args.conversationId == null ? null : String(args.conversationId);
      if (id !== null && !isUuid(id)) return { unseenMentionCount: 0, errors: [userError('conversationId', 'INVALID_ID', `"${id.slice(0, 60)}" is not a conversation id.`)] };
      return { unseenMentionCount: await seeMentions(ctx.db, ctx.principal, id?.toLowerCase() ?? null), errors: [] };
    },
  }),
);

builder.queryField('mentions', (t) =>
  t.prismaConnection({
    type: Note,
    cursor: 'id',
    description: "Notes that mention the viewer, newest first. Empty for a program (it cannot be mentioned).",
    args: { unseenOnly: t.arg.boolean({ defaultValue: false, description: 'Only those the viewer has not seen yet.' }) },
    resolve: (query, _root, args, ctx) => {
      if (!mentionable(ctx.principal)) return [];
      return ctx.prisma.note.findMany({
        ...query,
        where: { mentions: { some: { operatorId: ctx.principal.id, ...(args.unseenOnly ? { seenAt: null } : {}) } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);
