import type { Logger } from 'pino';
// The webhook helpers alone: the whole library costs about 20 MB resident (see ./index.ts).
import twilio from 'twilio/lib/webhooks/webhooks.js';
import type { Database } from '../../db/database.ts';
import { isStorable } from '../../lib/text.ts';
import { InboundError, receiveInbound } from './inbound.ts';
import { recordStatusReport } from './status-callbacks.ts';

export const INBOUND_PATH = '/twilio/inbound';
export const STATUS_PATH = '/twilio/status';
/** Twilio's webhooks are a few kilobytes of form fields; the router refuses larger bodies. */
export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

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
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      if (request.method !== 'POST') return reply(405, 'text/plain', 'POST only\n', { allow: 'POST' });
      const params = Object.fromEntries(new URLSearchParams(await request.text()));
      const signed = signedUrl(request, url, config);
      const signature = request.headers.get('x-twilio-signature');
      if (signature === null || !twilio.validateRequest(config.authToken, signature, signed, params)) {
        log.warn({ path, url: signed, signed: signature !== null }, 'rejected a webhook with a missing or wrong signature');
        return reply(403, 'text/plain', 'Invalid Twilio signature\n');
      }
      if (path === INBOUND_PATH) {
        await receiveInbound(db, params, log);
      } else {
        const providerSid = params.MessageSid ?? params.SmsSid;
        const status = params.MessageStatus ?? params.SmsStatus;
        if (!providerSid || !status) return reply(400, 'text/plain', 'MessageSid and MessageStatus are required\n');
        if (![providerSid, status, params.ErrorCode ?? ''].every(isStorable)) return reply(400, 'text/plain', 'Fields must be text without NUL\n');
        await recordStatusReport(db, { providerSid, status, errorCode: params.ErrorCode || null }, log);
      }
      return reply(200, 'text/xml', EMPTY_TWIML);
    } catch (err) {
      if (err instanceof InboundError) return reply(400, 'text/plain', `${err.message}\n`);
      // A 5xx makes Twilio retry later, which is what we want when the database is briefly away.
      log.error({ err, path }, 'webhook failed');
      return reply(500, 'text/plain', 'Internal error\n');
    }
  };
}

/** The URL Twilio requested, which is what it signed: scheme, host, path and query. */
function signedUrl(request: Request, url: URL, config: WebhookConfig): string {
  const pathAndQuery = `${url.pathname}${url.search}`;
  if (config.trustProxy) {
    const proto = first(request.headers.get('x-forwarded-proto')) ?? 'http';
    const host = first(request.headers.get('x-forwarded-host')) ?? request.headers.get('host');
    return `${proto}://${host}${pathAndQuery}`;
  }
  if (config.publicUrl) return `${config.publicUrl}${pathAndQuery}`;
  return `http://${request.headers.get('host')}${pathAndQuery}`;
}

function first(h: string | null): string | undefined {
  return h?.split(',')[0]?.trim() || undefined;
}

function reply(status: number, type: string, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': `${type}; charset=utf-8`, ...headers } });
}
