import type { Database, Sql } from '../../db/database.ts';
import { countUnseenMentions, insertNote, markMentionsSeen, mentionedIn, mentionSeenBy, notesByIds, type NoteRecord } from '../../db/tables/notes.ts';
import { operatorNames } from '../../db/tables/operators.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { mentionedOperators } from '../../lib/mentions.ts';
import { isStorable } from '../../lib/text.ts';
import { authorOf, type Principal } from '../access/principal.ts';
import { loadBatched } from '../contacts/batch.ts';

/** Longer than an SMS: a note explains a case to a colleague. */
export const MAX_NOTE_CHARS = 4000;

export interface AddNoteResult {
  note: NoteRecord | null;
  errors: UserErrorShape[];
}

/**
 * Adds an internal note to a conversation: stored, never sent. `@Name` mentions an operator (not
 * the author: one does not notify oneself). The note, its mentions and the conversation's newest
 * note are written together, so the change feed carries it and nothing is half-written.
 */
export async function addNote(db: Database, principal: Principal, input: { conversationId: string; body: string }): Promise<AddNoteResult> {
  const fail = (field: string, code: UserErrorShape['code'], message: string): AddNoteResult => ({ note: null, errors: [userError(field, code, message)] });
  const id = input.conversationId;
  if (!isUuid(id)) return fail('conversationId', 'INVALID_ID', `"${id.slice(0, 60)}" is not a conversation id.`);
  const body = input.body.trim();
  if (body === '') return fail('body', 'EMPTY_BODY', 'Write something in the note.');
  if ([...body].length > MAX_NOTE_CHARS) return fail('body', 'BODY_TOO_LONG', `A note can be at most ${MAX_NOTE_CHARS} characters.`);
  if (!isStorable(body)) return fail('body', 'INVALID_CHARACTERS', 'The note holds characters that cannot be stored (a NUL or a broken surrogate pair).');
  const author = authorOf(principal);
  const note = await db.transaction(async (tx) => {
    const mentioned = mentionedOperators(body, await operatorNames(tx)).filter((o) => !(author.kind === 'OPERATOR' && o.id === author.id));
    return insertNote(tx, {
      conversationId: id.toLowerCase(),
      authorKind: author.kind === 'TOKEN' ? 'TOKEN' : 'OPERATOR',
      authorId: author.id,
      authorName: author.name ?? 'Operator',
      body,
      mentioned: mentioned.map((o) => o.id),
    });
  });
  if (!note) return fail('conversationId', 'NOT_FOUND', `No conversation with id "${id}".`);
  return { note, errors: [] };
}

/** A note by id, read together with the others the same operation asks for (a page's newest notes). */
export function loadNote(ctx: { db: Pick<Sql, 'query'> }, id: string): Promise<NoteRecord | undefined> {
  return loadBatched(ctx, 'note', id, async (ids: string[]) => {
    const found = new Map((await notesByIds(ctx.db, ids)).map((n) => [n.id, n]));
    return ids.map((i) => found.get(i));
  });
}

/** The operators a note mentions, read together with the other notes' of the same operation. */
export function loadMentioned(ctx: { db: Pick<Sql, 'query'> }, noteId: string): Promise<string[]> {
  return loadBatched(ctx, 'note-mentions', noteId, async (ids: string[]) => {
    const byNote = await mentionedIn(ctx.db, ids);
    return ids.map((i) => byNote.get(i) ?? []);
  });
}

/** Whether the viewer has seen their mention in a note (null when it does not mention them), a page's in one read. */
export function loadMentionSeen(ctx: { db: Pick<Sql, 'query'>; principal: Principal }, noteId: string): Promise<boolean | null> {
  const p = ctx.principal;
  if (!mentionable(p)) return Promise.resolve(null);
  return loadBatched(ctx, 'mention-seen', noteId, async (ids: string[]) => {
    const seen = await mentionSeenBy(ctx.db, p.id, ids);
    return ids.map((i) => seen.get(i) ?? null);
  });
}

/** The mentions a person has not seen; a program or the sign-in-off operator is never mentioned. */
export function unseenMentions(db: Pick<Sql, 'query'>, principal: Principal): Promise<number> {
  return mentionable(principal) ? countUnseenMentions(db, principal.id) : Promise.resolve(0);
}

export async function seeMentions(db: Pick<Sql, 'query'>, principal: Principal, conversationId: string | null): Promise<number> {
  if (!mentionable(principal)) return 0;
  await markMentionsSeen(db, principal.id, conversationId);
  return countUnseenMentions(db, principal.id);
}

export const mentionable = (p: Principal): p is Extract<Principal, { kind: 'operator' }> => p.kind === 'operator' && !p.local;
