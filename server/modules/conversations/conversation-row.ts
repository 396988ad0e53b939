import type { Conversation } from '../../generated/prisma/client.ts';

/** A `conversations` row as SQL or the change feed (`to_jsonb`) has it → the Prisma shape. */
export function conversationFromRow(row: Record<string, unknown>): Conversation {
  const date = (k: string) => new Date(row[k] as string | Date);
  return {
    id: row.id as string,
    participantA: row.participant_a as string,
    participantB: row.participant_b as string,
    lastMessageAt: date('last_message_at'),
    createdAt: date('created_at'),
    unreadCount: Number(row.unread_count),
    lastReadAt: row.last_read_at == null ? null : date('last_read_at'),
    ours: (row.ours ?? null) as string | null,
    doneAt: row.done_at == null ? null : date('done_at'),
    // Rows written before the column existed (old feed copies) carry none: their activity stands in.
    updatedAt: row.updated_at == null ? date('last_message_at') : date('updated_at'),
  };
}
