import type { Sql } from '../../db/database.ts';
import type { ProviderStatus } from './sms-sender.ts';
import { describeTwilioError } from './twilio-errors.ts';

/** Provider status → Hatch status. Twilio's "queued"/"accepted" mean it has the message: SENDING. */
export const PROVIDER_STATUS: Record<ProviderStatus, 'SENDING' | 'SENT' | 'DELIVERED' | 'UNDELIVERED' | 'FAILED'> = {
  accepted: 'SENDING',
  queued: 'SENDING',
  sending: 'SENDING',
  sent: 'SENT',
  delivered: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
};

export function isProviderStatus(s: string): s is ProviderStatus {
  return Object.hasOwn(PROVIDER_STATUS, s);
}

/** A provider's answer to a create: a word Hatch does not know still means it has the message. */
export function toProviderStatus(s: string): ProviderStatus {
  return isProviderStatus(s) ? s : 'queued';
}

// Statuses only move forward: a late "sent" after "delivered" must not move a message back.
// The three final statuses share a rank, so the first final word wins.
const RANK_SQL = `CASE %s WHEN 'QUEUED' THEN 0 WHEN 'SENDING' THEN 1 WHEN 'SENT' THEN 2 ELSE 3 END`;
const rank = (expr: string) => RANK_SQL.replace('%s', expr);

export interface StatusChange {
  status: ProviderStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * The single path by which a provider's word about an outbound SMS reaches the database, used by
 * the simulator and by Twilio's status callbacks alike. Returns whether the message moved.
 */
export async function applyProviderStatus(db: Pick<Sql, 'query'>, providerSid: string, change: StatusChange): Promise<boolean> {
  const status = PROVIDER_STATUS[change.status];
  const errorMessage = change.errorMessage ?? describeTwilioError(change.errorCode) ?? null;
  const rows = await db.query(
    `UPDATE "messages" SET "status" = $2::"MessageStatus",
        "error_code" = COALESCE($3, "error_code"), "error_message" = COALESCE($4, "error_message")
      WHERE "provider_sid" = $1 AND "direction" = 'OUTBOUND'
        AND ${rank('"status"::text')} < ${rank('$2::text')}
      RETURNING "id"`,
    [providerSid, status, change.errorCode ?? null, errorMessage],
  );
  return rows.length > 0;
}
