import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { touchConversationsOfEach } from '../../db/tables/conversations.ts';
import { changedSince, ensureContacts, joinPerson, lockPeople, personRows, recordMerge, restoreContacts, takeMerge, type ContactBefore } from '../../db/tables/people.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { describeAddress, formatForPeople, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import { revocationKey, type Principal } from '../access/principal.ts';
import { contactStates, type ContactState } from './contacts.service.ts';
import { MAX_CONTACT_NOTES_CHARS } from './update-contact.ts';

export type MergeResult = { contact: ContactState; undoId: string; errors: [] } | { contact: null; undoId: null; errors: UserErrorShape[] };
export type UndoResult = { contact: ContactState; errors: [] } | { contact: null; errors: UserErrorShape[] };

/** Who may undo: the session or token that merged (with sign-in off, whoever uses this machine). */
const actorKey = (by: Principal) => revocationKey(by) ?? 'local';

function addressOf(field: string, typed: string, defaultCountry: CountryCode | undefined): string | UserErrorShape {
  const read = isStorable(typed) ? describeAddress(typed, defaultCountry) : undefined;
  if (read?.kind === 'INVALID') return userError(field, 'INVALID_PHONE_NUMBER', `"${typed.trim().slice(0, 40)}" is not a phone number: write it with + and the country code, e.g. +15551234567.`);
  if (!read?.address || [...read.address].length > 100) return userError(field, 'INVALID_ADDRESS', 'Give a phone number or the name a conversation has.');
  return read.address;
}

/** The person's notes after a merge: both when both have some and they fit, else the kept one's. */
function mergedNotes(kept: string | null, other: string | null): string | null {
  if (!kept || !other || kept === other) return kept ?? other;
  const both = `${kept}\n\n${other}`;
  return [...both].length <= MAX_CONTACT_NOTES_CHARS ? both : kept;
}

/**
 * Makes `address` (and every other address of its person) one person with `into`: a mobile and an
 * office number, or a stored-only name and the number it stands for. The person keeps `into`'s
 * name (the other's when `into` has none), and both notes. Every conversation with any of them is
 * touched, so open windows read the person again. Undoable by the same session or token for a day.
 */
export async function mergeContacts(db: Database, by: Principal, input: { into: string; address: string }, defaultCountry: CountryCode | undefined): Promise<MergeResult> {
  const into = addressOf('into', input.into, defaultCountry);
  const address = addressOf('address', input.address, defaultCountry);
  const errors = [into, address].filter((x): x is UserErrorShape => typeof x !== 'string');
  if (errors.length) return { contact: null, undoId: null, errors };
  const [keep, join] = [into as string, address as string];
  const outcome = await db.transaction(async (tx): Promise<MergeResult | UserErrorShape> => {
    await lockPeople(tx);
    const made = new Set((await ensureContacts(tx, [keep, join])).map((a) => a.toLowerCase()));
    const kept = await personRows(tx, keep);
    const joined = await personRows(tx, join);
    if (kept.some((r) => joined.some((j) => j.key === r.key))) {
      return userError('address', 'ALREADY_ONE_CONTACT', `${formatForPeople(join)} is already one of this contact’s addresses.`);
    }
    const before: ContactBefore[] = [...kept, ...joined].map(({ updatedAt: _, ...r }) => ({ ...r, existed: !made.has(r.key) }));
    const all = before.map((r) => r.address);
    await joinPerson(tx, all, kept[0]!.personId ?? joined.find((j) => j.personId)?.personId ?? randomUUID(), kept[0]!.name ?? joined[0]!.name, mergedNotes(kept[0]!.notes, joined[0]!.notes));
    await touchConversationsOfEach(tx, all);
    const undoId = await recordMerge(tx, actorKey(by), before);
    const [contact] = await contactStates(tx, [keep]);
    return { contact: contact!, undoId, errors: [] };
  });
  return 'code' in outcome ? { contact: null, undoId: null, errors: [outcome] } : outcome;
}

/**
 * Undoes a merge, putting every row back as it was: only the session or token that made it, once,
 * within a day, and only while nobody has changed those contacts since (a rename or an opt-out
 * would be lost).
 */
export async function undoContactMerge(db: Database, by: Principal, id: string): Promise<UndoResult> {
  const outcome = await db.transaction(async (tx): Promise<UndoResult | UserErrorShape> => {
    await lockPeople(tx);
    const merge = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await takeMerge(tx, id, actorKey(by)) : undefined;
    if (!merge) return userError('id', 'UNDO_NOT_AVAILABLE', 'This merge can no longer be undone: only where it was made, once, within a day.');
    if (await changedSince(tx, merge.before.map((r) => r.key), merge.createdAt)) {
      throw new UndoRefused();
    }
    await restoreContacts(tx, merge.before);
    await touchConversationsOfEach(tx, merge.before.map((r) => r.address));
    const [contact] = await contactStates(tx, [merge.before[0]!.address]);
    return { contact: contact!, errors: [] };
  }).catch((e: unknown) => {
    // Thrown to roll back the merge record's removal: the undo can be tried again after a look.
    if (e instanceof UndoRefused) return userError('id', 'CONTACT_CHANGED', 'These contacts changed after the merge (renamed, or a number opted out): edit them instead.');
    throw e;
  });
  return 'code' in outcome ? { contact: null, errors: [outcome] } : outcome;
}

class UndoRefused extends Error {}
