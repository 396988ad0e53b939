import type { Message } from '../../generated/prisma/client.ts';

/**
 * A `messages` row as SQL returns it (snake_case columns) → the Prisma shape the schema resolves.
 * Used for rows from `INSERT … RETURNING *` and for the copies the change feed keeps
 * (`to_jsonb(row)`, where timestamps are ISO strings), so both read exactly as Prisma reads them.
 */
export function messageFromRow(row: Record<string, unknown>): Message {
  const str = (k: string) => row[k] as string;
  const opt = (k: string) => (row[k] ?? null) as string | null;
  return {
    id: str('id'),
    conversationId: str('conversation_id'),
    from: str('from'),
    to: str('to'),
    body: str('body'),
    direction: str('direction') as Message['direction'],
    channel: str('channel') as Message['channel'],
    status: str('status') as Message['status'],
    providerSid: opt('provider_sid'),
    errorCode: opt('error_code'),
    errorMessage: opt('error_message'),
    idempotencyKey: opt('idempotency_key'),
    sentByKind: (row.sent_by_kind ?? 'SYSTEM') as Message['sentByKind'],
    sentById: opt('sent_by_id'),
    sentByName: opt('sent_by_name'),
    createdAt: new Date(row.created_at as string | Date),
    updatedAt: new Date(row.updated_at as string | Date),
  };
}
