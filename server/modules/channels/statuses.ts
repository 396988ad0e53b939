import type { Logger } from 'pino';
import type { Database, Sql } from '../../db/database.ts';
import { keepStatusReport, reportsFor } from '../../db/tables/message-status-events.ts';
import { advanceStatus, recipientOf } from '../../db/tables/messages.ts';
import { markOptedOut } from '../contacts/contacts.service.ts';
import type { Channel, DeliveryStatus, StatusReport } from './channel.ts';

export interface StatusChange {
  status: DeliveryStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * The single path by which a provider's word about an outbound message reaches the database, for
 * every channel and the simulator alike. Returns whether the message moved.
 */
export function applyStatus(db: Pick<Sql, 'query'>, providerSid: string, change: StatusChange): Promise<boolean> {
  return advanceStatus(db, providerSid, { status: change.status, errorCode: change.errorCode ?? null, errorMessage: change.errorMessage ?? null });
}

/** A report as the channel reads it: Hatch's status and the error in words, or undefined for a word it does not know. */
function changeOf(channel: Channel, word: string, errorCode: string | null | undefined): StatusChange | undefined {
  const status = channel.status(word);
  return status && { status, errorCode: errorCode ?? null, errorMessage: channel.describeError(errorCode) ?? null };
}

/**
 * The one path by which a provider's status report is recorded, whether its webhook's or the
 * simulator's: every report is kept for audit, and the message moves only forward.
 */
export async function recordStatusReport(db: Database, channel: Channel, report: StatusReport, log: Logger): Promise<void> {
  const status = report.status.toLowerCase();
  const kept = await keepStatusReport(db, { providerSid: report.providerSid, status, errorCode: report.errorCode ?? null });
  if (!kept) {
    log.debug({ providerSid: report.providerSid, status }, 'the same status report again; nothing to add');
    return;
  }
  const change = changeOf(channel, status, report.errorCode);
  if (!change) {
    log.warn({ providerSid: report.providerSid, status }, 'unknown status kept as an event; the message is unchanged');
    return;
  }
  const moved = await applyStatus(db, report.providerSid, change);
  if (report.errorCode) {
    const to = await recipientOf(db, report.providerSid);
    const optedOut = to && channel.optOutByError(report.errorCode, to);
    if (optedOut) await markOptedOut(db, to, true, optedOut);
  }
  log.debug({ providerSid: report.providerSid, status, moved }, 'status report');
}

/** Applies the reports that arrived before the provider's answer to the send itself (they were kept). */
export async function replayEarlyReports(db: Database, channel: Channel, providerSid: string): Promise<void> {
  for (const e of await reportsFor(db, providerSid)) {
    const change = changeOf(channel, e.status, e.errorCode);
    if (change) await applyStatus(db, providerSid, change);
  }
}
