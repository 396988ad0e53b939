import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { optOutOnProviderError } from './opt-out.ts';
import { applyProviderStatus, isProviderStatus } from './provider-status.ts';

export interface StatusReport {
  providerSid: string;
  /** As the provider said it, lower case. */
  status: string;
  errorCode?: string | null;
}

/**
 * The one path by which a provider's status report is recorded, whether Twilio's callback or the
 * simulator's: every report is kept for audit, and the message moves only forward.
 */
export async function recordStatusReport(db: Database, report: StatusReport, log: Logger): Promise<void> {
  const status = report.status.toLowerCase();
  const kept = await db.query(
    `INSERT INTO "message_status_events" ("provider_sid", "status", "error_code") VALUES ($1, $2, $3)
     ON CONFLICT ("provider_sid", "status", COALESCE("error_code", '')) DO NOTHING RETURNING "id"`,
    [report.providerSid, status, report.errorCode ?? null],
  );
  if (kept.length === 0) {
    log.debug({ providerSid: report.providerSid, status }, 'the same status report again; nothing to add');
    return;
  }
  if (!isProviderStatus(status)) {
    log.warn({ providerSid: report.providerSid, status }, 'unknown SMS status kept as an event; the message is unchanged');
    return;
  }
  const moved = await applyProviderStatus(db, report.providerSid, { status, errorCode: report.errorCode });
  if (report.errorCode) {
    const [m] = await db.query<{ to: string }>('SELECT "to" FROM "messages" WHERE "provider_sid" = $1', [report.providerSid]);
    if (m) await optOutOnProviderError(db, report.errorCode, m.to);
  }
  log.debug({ providerSid: report.providerSid, status, moved }, 'SMS status report');
}
