import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import twilio from 'twilio';
import type { Database } from '../../db/database.ts';
import { InboundError, receiveInbound } from './inbound.ts';
import { recordStatusReport } from './status-callbacks.ts';

export const INBOUND_PATH = '/twilio/inbound';
export const STATUS_PATH = '/twilio/status';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const MAX_BODY_BYTES = 64 * 1024;

export interface WebhookConfig {
  /** The token requests are signed with: Twilio's auth token, or the simulator's. */
  authToken: string;
  /** The public base URL Twilio signs against, when known. */
  publicUrl?: string;
  /** Take scheme and host from X-Forwarded-Proto/Host (only behind a proxy that sets them). */
  trustProxy: boolean;
}

/**
 * Twilio's webhooks: inbound messages and status callbacks. Each request must carry a valid
 * X-Twilio-Signature for the URL Twilio called; anything else gets 403 and changes nothing.
 */
export function createTwilioWebhookHandler(db: Database, config: WebhookConfig, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0];
    try {
      if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'POST only\n', { allow: 'POST' });
      const raw = await readBody(req);
      if (raw === undefined) return reply(res, 413, 'text/plain', 'Body too large\n');
      const params = Object.fromEntries(new URLSearchParams(raw));
      const url = signedUrl(req, config);
      const signature = req.headers['x-twilio-signature'];
      if (typeof signature !== 'string' || !twilio.validateRequest(config.authToken, signature, url, params)) {
        log.warn({ path, url, signed: typeof signature === 'string' }, 'rejected a webhook with a missing or wrong signature');
        return reply(res, 403, 'text/plain', 'Invalid Twilio signature\n');
      }
      if (path === INBOUND_PATH) {
        await receiveInbound(db, params, log);
      } else {
        const providerSid = params.MessageSid ?? params.SmsSid;
        const status = params.MessageStatus ?? params.SmsStatus;
        if (!providerSid || !status) return reply(res, 400, 'text/plain', 'MessageSid and MessageStatus are required\n');
        await recordStatusReport(db, { providerSid, status, errorCode: params.ErrorCode || null }, log);
      }
      reply(res, 200, 'text/xml', EMPTY_TWIML);
    } catch (err) {
      if (err instanceof InboundError) return reply(res, 400, 'text/plain', `${err.message}\n`);
      // A 5xx makes Twilio retry later, which is what we want when the database is briefly away.
      log.error({ err, path }, 'webhook failed');
      reply(res, 500, 'text/plain', 'Internal error\n');
    }
  };
}

/** The URL Twilio requested, which is what it signed: scheme, host, path and query. */
function signedUrl(req: IncomingMessage, config: WebhookConfig): string {
  const path = req.url ?? '/';
  if (config.trustProxy) {
    const proto = first(req.headers['x-forwarded-proto']) ?? 'http';
    const host = first(req.headers['x-forwarded-host']) ?? req.headers.host;
    return `${proto}://${host}${path}`;
  }
  if (config.publicUrl) return `${config.publicUrl}${path}`;
  return `http://${req.headers.host}${path}`;
}

function first(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v?.split(',')[0]?.trim() || undefined;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, ...headers });
  res.end(body);
}
