import type { Logger } from 'pino';
// The webhook helpers alone: the whole library costs about 20 MB resident (see ./index.ts).
import twilio from 'twilio/lib/webhooks/webhooks.js';
import { isStorable, storable } from '../../../lib/text.ts';
import type { ChannelRoute, ChannelSink, InboundMessage } from '../channel.ts';
import { optOutIntent } from './opt-out.ts';
import { isContactName } from '../../contacts/contact-name.ts';

export const INBOUND_PATH = '/twilio/inbound';
export const STATUS_PATH = '/twilio/status';
/** Twilio's webhooks are a few kilobytes of form fields; bigger bodies are refused unread. */
const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;
const MAX_MEDIA = 10; // Twilio's own limit per MMS

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export interface WebhookConfig {
  /** The token requests are signed with: Twilio's auth token, or the simulator's. */
  authToken: string;
  /** The public base URL Twilio signs against, when known. */
  publicUrl?: string;
  /** Take scheme and host from X-Forwarded-Proto/Host (only behind a proxy that sets them). */
  trustProxy: boolean;
}

/** A webhook whose fields cannot be a message: 400, and nothing stored. */
class BadWebhook extends Error {}

/**
 * Twilio's webhooks: inbound messages and status callbacks. Each request must carry a valid
 * X-Twilio-Signature for the URL Twilio called; anything else gets 403 and changes nothing.
 */
export function twilioWebhookRoutes(
  sink: ChannelSink,
  config: WebhookConfig,
  log: Logger,
  paths: { inbound: string; status: string } = { inbound: INBOUND_PATH, status: STATUS_PATH },
): ChannelRoute[] {
  const route = (path: string, take: (params: Record<string, string>) => Promise<void>): ChannelRoute => ({
    path,
    label: 'twilio',
    maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
    async handle(request) {
      const url = new URL(request.url);
      try {
        if (request.method !== 'POST') return reply(405, 'text/plain', 'POST only\n', { allow: 'POST' });
        const params = Object.fromEntries(new URLSearchParams(await request.text()));
        const signed = signedUrl(request, url, config);
        const signature = request.headers.get('x-twilio-signature');
        if (signature === null || !twilio.validateRequest(config.authToken, signature, signed, params)) {
          log.warn({ path, url: signed, signed: signature !== null }, 'rejected a webhook with a missing or wrong signature');
          return reply(403, 'text/plain', 'Invalid Twilio signature\n');
        }
        await take(params);
        return reply(200, 'text/xml', EMPTY_TWIML);
      } catch (err) {
        if (err instanceof BadWebhook) return reply(400, 'text/plain', `${err.message}\n`);
        // A 5xx makes Twilio retry later, which is what we want when the database is briefly away.
        log.error({ err, path }, 'webhook failed');
        return reply(500, 'text/plain', 'Internal error\n');
      }
    },
  });
  return [
    route(paths.inbound, (params) => sink.inbound(readInbound(params, log))),
    route(paths.status, async (params) => {
      const providerSid = params.MessageSid ?? params.SmsSid;
      const status = params.MessageStatus ?? params.SmsStatus;
      if (!providerSid || !status) throw new BadWebhook('MessageSid and MessageStatus are required');
      if (![providerSid, status, params.ErrorCode ?? ''].every(isStorable)) throw new BadWebhook('Fields must be text without NUL');
      await sink.status({ providerSid, status, errorCode: params.ErrorCode || null });
    }),
  ];
}

/** An inbound SMS/MMS as Twilio posts it (form fields, by Twilio's names), as Hatch reads it. */
function readInbound(p: Record<string, string>, log: Logger): InboundMessage {
  const sid = p.MessageSid ?? p.SmsSid;
  const from = p.From?.trim();
  const to = p.To?.trim();
  if (!sid || !from || !to) throw new BadWebhook('MessageSid, From and To are required');
  if (![sid, from, to].every(isStorable)) throw new BadWebhook('MessageSid, From and To must be text without NUL');
  // A text someone sent is kept even if it holds what the database cannot: those characters only.
  const body = storable(p.Body ?? '');
  if (body !== (p.Body ?? '')) log.warn({ providerSid: sid }, 'an inbound SMS held characters that cannot be stored; they were replaced');
  const count = Math.min(Number.parseInt(p.NumMedia ?? '0', 10) || 0, MAX_MEDIA);
  const media = Array.from({ length: count }, (_, i) => ({ url: p[`MediaUrl${i}`], contentType: p[`MediaContentType${i}`] ?? null })).filter(
    (m): m is { url: string; contentType: string | null } => Boolean(m.url) && isStorable(m.url!) && isStorable(m.contentType ?? ''),
  );
  // WhatsApp's profile name is the sender's own choice: kept only when it is a name a contact may have.
  const profile = p.ProfileName?.trim();
  const profileName = profile && isStorable(profile) && isContactName(profile) ? profile : undefined;
  return { providerSid: sid, from, to, body, media, optOut: optOutIntent(body, p.OptOutType), profileName };
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
