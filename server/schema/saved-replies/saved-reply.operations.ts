import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { isUuid, userError } from '../../lib/errors.ts';
import {
  createSavedReply,
  deleteSavedReply,
  listSavedReplies,
  MAX_REPLY_BODY_CHARS,
  MAX_REPLY_NAME_CHARS,
  updateSavedReply,
  type SavedReplyResult,
} from '../../modules/saved-replies/saved-replies.service.ts';
import { SavedReply, SavedReplyVariable, savedReplyVariables } from './saved-reply.type.ts';

builder.queryField('savedReplies', (t) =>
  t.field({
    type: [SavedReply],
    description: "The team's saved replies, by name.",
    resolve: (_root, _args, ctx) => listSavedReplies(ctx.db),
  }),
);

builder.queryField('savedReplyVariables', (t) =>
  t.field({
    type: [SavedReplyVariable],
    description: 'The variables a saved reply may hold.',
    resolve: () => savedReplyVariables(),
  }),
);

const SavedReplyPayload = builder.objectRef<SavedReplyResult>('SavedReplyPayload').implement({
  fields: (t) => ({
    savedReply: t.field({ type: SavedReply, nullable: true, resolve: (r) => r.savedReply }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

const CreateSavedReplyInput = builder.inputType('CreateSavedReplyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: `1 to ${MAX_REPLY_NAME_CHARS} characters, unique in any case.` }),
    body: t.string({ required: true, description: `Up to ${MAX_REPLY_BODY_CHARS} characters; variables as \`{{contact.name}}\`.` }),
  }),
});

const UpdateSavedReplyInput = builder.inputType('UpdateSavedReplyInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ description: 'Omitted or null: unchanged.' }),
    body: t.string({ description: 'Omitted or null: unchanged.' }),
  }),
});

const badId = (id: string): SavedReplyResult => ({ savedReply: null, errors: [userError('id', 'INVALID_ID', `"${id.slice(0, 60)}" is not a saved reply id.`)] });

builder.mutationField('createSavedReply', (t) =>
  t.field({
    type: SavedReplyPayload,
    description: 'Saves a reply for the whole team. `NAME_TAKEN`, `INVALID_NAME`, `EMPTY_BODY`, `BODY_TOO_LONG`, `UNKNOWN_VARIABLE`, `TOO_MANY_SAVED_REPLIES`.',
    args: { input: t.arg({ type: CreateSavedReplyInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSavedReply(ctx.db, input, ctx.principal.kind === 'operator' && !ctx.principal.local ? ctx.principal.id : null),
  }),
);

builder.mutationField('updateSavedReply', (t) =>
  t.field({
    type: SavedReplyPayload,
    description: "Renames a saved reply or changes its text; the same checks as `createSavedReply`, and `NOT_FOUND`.",
    args: { input: t.arg({ type: UpdateSavedReplyInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const id = String(input.id);
      return isUuid(id) ? updateSavedReply(ctx.db, id.toLowerCase(), input) : badId(id);
    },
  }),
);

builder.mutationField('deleteSavedReply', (t) =>
  t.field({
    type: SavedReplyPayload,
    description: 'Deletes a saved reply, for the whole team; answers it as it was.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => {
      const id = String(args.id);
      return isUuid(id) ? deleteSavedReply(ctx.db, id.toLowerCase()) : badId(id);
    },
  }),
);
