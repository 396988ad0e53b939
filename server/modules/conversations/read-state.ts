import type { Sql } from '../../db/database.ts';
import { readStates, type ReadState } from '../../db/tables/conversation-reads.ts';
import type { Principal } from '../access/principal.ts';
import { loadBatched } from '../contacts/batch.ts';
import { knownReadState } from './conversation-page.ts';

/**
 * Whose read state a request reads and writes: the operator's own, or a program's own by its token
 * (a bot marking a thread read leaves the team's badges alone). With sign-in off, the stand-in
 * operator is one reader shared by whoever uses the machine.
 */
export const readerOf = (p: Principal): string => p.id;

/**
 * The viewer's read state of a conversation: as the page read it, or read together with every
 * other one asked for at once.
 */
export async function loadReadState(ctx: { db: Pick<Sql, 'query'>; principal: Principal }, conversation: { id: string }): Promise<ReadState | undefined> {
  const known = knownReadState(conversation);
  if (known) return known.value;
  return loadBatched(ctx, 'readState', conversation.id, (ids: string[]) => readStates(ctx.db, readerOf(ctx.principal), ids));
}

/**
 * Inbound messages the reader has not read: what the conversation had received as of this copy of
 * it, less what the reader has read now. A change-feed event carries an older copy, so the
 * difference can be below zero once the reader has read on; it is nothing unread then.
 */
export function unreadOf(c: { inboundCount: number }, state: ReadState | undefined): number {
  return Math.max(0, c.inboundCount - (state?.readCount ?? 0));
}
