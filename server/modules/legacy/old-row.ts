import type { MessageChannel, MessageDirection, MessageStatus, SenderKind } from '../../generated/prisma/enums.ts';
import { isE164 } from '../../lib/phone.ts';
import { storable } from '../../lib/text.ts';
import { isUuid } from '../../lib/errors.ts';
import { conversationId, sortParticipants } from '../conversations/conversation-id.ts';
import { directionFromLegacy, statusFromLegacy } from './words.ts';

/** A row of the old `messages` table as the reader selects it (text columns may come as bytes). */
export interface OldRow {
  id: string | null;
  to_contact: string | Buffer | null;
  from_contact: string | Buffer | null;
  body: string | Buffer | null;
  conversation_id: string | null;
  /** In UTC, as Postgres writes a timestamptz: "2025-05-26 19:22:31.123456+00". */
  timestamp: string | null;
  status: string | Buffer | null;
  direction: string | Buffer | null;
}

/** The Hatch message an old row becomes. */
export interface ImportRow {
  id: string;
  conversationId: string;
  participantA: string;
  participantB: string;
  /** This inbox's side: the sender of an outbound message, the recipient of an inbound one. */
  ours: string;
  from: string;
  to: string;
  body: string;
  direction: MessageDirection;
  channel: MessageChannel;
  status: MessageStatus;
  sentByKind: SenderKind;
  sentByName: string | null;
  createdAt: string;
}

/** Something about a row worth telling the person importing, though the row is imported. */
export type RowNote =
  | { kind: 'conversation-id'; stored: string | null; computed: string }
  | { kind: 'repaired-text'; fields: string[] }
  | { kind: 'unknown-status'; value: string }
  | { kind: 'unknown-direction'; value: string };

export type Converted = { ok: true; row: ImportRow; notes: RowNote[] } | { ok: false; id: string | null; reason: string };

const text = (v: string | Buffer | null): string | null => (v == null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

/**
 * One old row as a Hatch message, by the rules Hatch's own writers follow: the conversation id
 * computed from the two participants, SMS when the contact's address is E.164 (else stored-only),
 * the author as the access migration recorded older messages (the contact for inbound, the system
 * for outbound). Text Postgres cannot store (NUL, half a surrogate pair) is replaced, as for an
 * inbound SMS. A row without an id, both participants or a time cannot be placed and is refused.
 */
export function convertOldRow(old: OldRow): Converted {
  const notes: RowNote[] = [];
  const id = old.id?.trim().toLowerCase() ?? null;
  if (!id || !isUuid(id)) return { ok: false, id, reason: `id ${JSON.stringify(old.id)} is not a UUID` };
  const repaired: string[] = [];
  const clean = (field: string, value: string | null) => {
    if (value == null) return null;
    const fixed = storable(value);
    if (fixed !== value) repaired.push(field);
    return fixed;
  };
  const to = clean('to_contact', text(old.to_contact));
  const from = clean('from_contact', text(old.from_contact));
  const body = clean('body', text(old.body)) ?? '';
  if (!to?.trim() || !from?.trim()) return { ok: false, id, reason: `no ${!to?.trim() ? 'to_contact' : 'from_contact'}` };
  if (!old.timestamp) return { ok: false, id, reason: 'no timestamp' };
  if (repaired.length) notes.push({ kind: 'repaired-text', fields: repaired });

  const statusWord = text(old.status);
  const directionWord = text(old.direction);
  let direction = directionFromLegacy(directionWord);
  const mapped = statusFromLegacy(statusWord);
  if (!direction) {
    notes.push({ kind: 'unknown-direction', value: directionWord ?? '(none)' });
    direction = mapped === 'RECEIVED' ? 'INBOUND' : 'OUTBOUND';
  }
  if (!mapped) notes.push({ kind: 'unknown-status', value: statusWord ?? '(none)' });
  const inbound = direction === 'INBOUND';
  const channel: MessageChannel = isE164(inbound ? from : to) ? 'SMS' : 'INTERNAL';
  // Hatch's inbound messages are RECEIVED and its stored-only ones STORED, whatever the old word;
  // an outbound SMS keeps its delivery state, and one in an unknown state counts as handed over.
  const status: MessageStatus = inbound ? 'RECEIVED' : channel === 'INTERNAL' ? 'STORED' : mapped && mapped !== 'RECEIVED' ? mapped : 'SENT';

  const computed = conversationId(from, to);
  const stored = old.conversation_id?.trim().toLowerCase() ?? null;
  if (stored !== computed) notes.push({ kind: 'conversation-id', stored: old.conversation_id, computed });
  const [participantA, participantB] = sortParticipants(from, to);
  return {
    ok: true,
    notes,
    row: {
      id,
      conversationId: computed,
      participantA,
      participantB,
      ours: inbound ? to : from,
      from,
      to,
      body,
      direction,
      channel,
      status,
      sentByKind: inbound ? 'SMS_CONTACT' : 'SYSTEM',
      sentByName: inbound ? from : null,
      createdAt: old.timestamp,
    },
  };
}

/** Whether two conversions of the same id are the same message (a duplicate rather than a conflict). */
export const sameMessage = (a: ImportRow, b: ImportRow): boolean =>
  a.from === b.from && a.to === b.to && a.body === b.body && a.createdAt === b.createdAt;
