import type { Sql } from '../../db/database.ts';
import {
  countSavedReplies,
  deleteSavedReplyRow,
  insertSavedReply,
  listSavedReplies,
  updateSavedReplyRow,
  type SavedReplyRecord,
} from '../../db/tables/saved-replies.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { REPLY_VARIABLES, unknownVariables } from '../../lib/reply-variables.ts';
import { isStorable } from '../../lib/text.ts';

type Query = Pick<Sql, 'query'>;

export const MAX_REPLY_NAME_CHARS = 60;
/** As long as the longest SMS Hatch sends (ten segments of GSM-7). */
export const MAX_REPLY_BODY_CHARS = 1600;
/** Enough for any team's habits; a bound so that the list the composer loads stays small. */
export const MAX_SAVED_REPLIES = 500;

export type SavedReplyResult = { savedReply: SavedReplyRecord; errors: [] } | { savedReply: null; errors: UserErrorShape[] };

const chars = (s: string) => [...s].length;
const CONTROL = /[\u0000-\u001f\u007f]/;

export { listSavedReplies };

function checkName(name: string): string | UserErrorShape {
  const trimmed = name.trim();
  if (!trimmed || chars(trimmed) > MAX_REPLY_NAME_CHARS || CONTROL.test(trimmed) || trimmed.includes('{{')) {
    return userError('name', 'INVALID_NAME', `A saved reply's name is 1 to ${MAX_REPLY_NAME_CHARS} characters on one line.`);
  }
  return trimmed;
}

function checkBody(body: string): string | UserErrorShape {
  if (!isStorable(body)) return userError('body', 'INVALID_CHARACTERS', 'The text contains characters that cannot be stored (such as NUL).');
  if (!body.trim()) return userError('body', 'EMPTY_BODY', 'A saved reply needs some text.');
  if (chars(body) > MAX_REPLY_BODY_CHARS) return userError('body', 'BODY_TOO_LONG', `A saved reply is at most ${MAX_REPLY_BODY_CHARS} characters.`);
  const unknown = unknownVariables(body);
  if (unknown.length) {
    const names = unknown.map((n) => `{{${n.slice(0, 40)}}}`).join(', ');
    const knownNames = Object.keys(REPLY_VARIABLES).map((n) => `{{${n}}}`).join(', ');
    return userError('body', 'UNKNOWN_VARIABLE', `${names} ${unknown.length > 1 ? 'are' : 'is'} not a variable. Use ${knownNames}.`);
  }
  return body;
}

const failed = (...errors: (UserErrorShape | null)[]): SavedReplyResult => ({ savedReply: null, errors: errors.filter((e): e is UserErrorShape => e !== null) });
const isError = (v: string | UserErrorShape): v is UserErrorShape => typeof v !== 'string';
const nameTaken = (name: string) => userError('name', 'NAME_TAKEN', `There is already a saved reply called "${name}".`);

/** Saves a reply for the team; `createdById` is the operator's id (null for a program). */
export async function createSavedReply(sql: Query, input: { name: string; body: string }, createdById: string | null): Promise<SavedReplyResult> {
  const [name, body] = [checkName(input.name), checkBody(input.body)];
  if (isError(name) || isError(body)) return failed(isError(name) ? name : null, isError(body) ? body : null);
  // Counted first: two saves racing past the bound leave it one or two over, never unbounded.
  if ((await countSavedReplies(sql)) >= MAX_SAVED_REPLIES) {
    return failed(userError(null, 'TOO_MANY_SAVED_REPLIES', `The team has ${MAX_SAVED_REPLIES} saved replies, as many as Hatch keeps: delete one first.`));
  }
  const saved = await insertSavedReply(sql, { name, body, createdById });
  return saved === 'name-taken' ? failed(nameTaken(name)) : { savedReply: saved, errors: [] };
}

/** Renames a reply or changes its text (undefined or null: unchanged). */
export async function updateSavedReply(sql: Query, id: string, input: { name?: string | null; body?: string | null }): Promise<SavedReplyResult> {
  const name = input.name == null ? undefined : checkName(input.name);
  const body = input.body == null ? undefined : checkBody(input.body);
  if ((name && isError(name)) || (body && isError(body))) return failed(name && isError(name) ? name : null, body && isError(body) ? body : null);
  const saved = await updateSavedReplyRow(sql, id, { name: name as string | undefined, body: body as string | undefined });
  if (saved === 'name-taken') return failed(nameTaken(name as string));
  return saved ? { savedReply: saved, errors: [] } : failed(userError('id', 'NOT_FOUND', `No saved reply with id "${id}".`));
}

export async function deleteSavedReply(sql: Query, id: string): Promise<SavedReplyResult> {
  const gone = await deleteSavedReplyRow(sql, id);
  return gone ? { savedReply: gone, errors: [] } : failed(userError('id', 'NOT_FOUND', `No saved reply with id "${id}".`));
}
