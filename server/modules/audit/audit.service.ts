import type { Logger } from 'pino';
import type { SqlDatabase } from '../../db/database.ts';
import { insertAuditEvent, pruneAuditEvents, type AuditEntry } from '../../db/tables/audit-events.ts';
import { inBatches, Periodic } from '../../lib/periodic.ts';
import type { Principal } from '../access/principal.ts';

export type { AuditEntry };

/**
 * What the audit log records, as stable codes (the GraphQL enum `AuditAction`). Never the content
 * of a message, a note or a password: who did what to whom, when and from where.
 */
export const AUDIT_ACTIONS = [
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'SESSIONS_ENDED',
  'OPERATOR_CREATED',
  'ROLE_CHANGED',
  'OPERATOR_DISABLED',
  'OPERATOR_ENABLED',
  'TOKEN_CREATED',
  'TOKEN_REVOKED',
  'INVITATION_CREATED',
  'INVITATION_REVOKED',
  'INVITATION_ACCEPTED',
  'CONTACT_ERASED',
  'CONTACTS_EXPORTED',
  'CONTACTS_IMPORTED',
  'WEBHOOK_CREATED',
  'WEBHOOK_CHANGED',
  'WEBHOOK_SECRET_ROTATED',
  'WEBHOOK_DELETED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Someone at the server's shell: `npm run operator:create`, `token:create`, `token:revoke`. */
export const COMMAND_ACTOR: AuditEntry['actor'] = { kind: 'COMMAND', name: 'the server command line' };

/** The audit log's name for whoever a request signed in. */
export function actorOf(p: Principal): AuditEntry['actor'] {
  if (p.kind === 'token') return { kind: 'TOKEN', id: p.id, name: p.name };
  return { kind: 'OPERATOR', id: p.local ? null : p.id, name: p.name };
}

/** Records one entry: pass the transaction that makes the change, so both commit or neither. */
export function recordAudit(sql: Parameters<typeof insertAuditEvent>[0], action: AuditAction, entry: Omit<AuditEntry, 'action'>): Promise<void> {
  return insertAuditEvent(sql, { ...entry, action });
}

const PRUNE_EVERY_MS = 3_600_000;
const BATCH = 5000;

/** Deletes what is older than HATCH_AUDIT_RETENTION: at start, then hourly; every replica may, harmlessly. */
export class AuditRetention extends Periodic<number> {
  constructor(
    private readonly db: SqlDatabase,
    private readonly retentionMs: number,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
  ) {
    super(PRUNE_EVERY_MS);
  }

  /** Deletes what is past retention; how many entries went. */
  prune(): Promise<number> {
    return this.run();
  }

  protected round(): Promise<number> {
    return this.pruneAll();
  }

  protected failed(err: unknown): number {
    this.log.warn({ err }, 'pruning the audit log failed; will try again');
    return 0;
  }

  private async pruneAll(): Promise<number> {
    const cutoff = new Date(Date.now() - this.retentionMs);
    const total = await inBatches(BATCH, () => this.db.transaction((tx) => pruneAuditEvents(tx, cutoff, BATCH)));
    if (total) this.log.info({ entries: total, olderThan: cutoff.toISOString() }, 'pruned the audit log');
    return total;
  }
}
