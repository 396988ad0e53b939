/**
 * A local stand-in for the part of Twilio's REST API that Hatch uses: message
 * creation and fetch, plus signed status callbacks and inbound webhooks.
 * Tests point the real `twilio` library at it (see server/modules/sms/twilio-client.ts) and
 * script its answers, so retry, idempotency and webhook paths run for real.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { smsSegments } from '../modules/channels/segments.ts';

const countSegments = (body: string) => Math.max(1, smsSegments(body).segments);

const API_VERSION = '2010-04-01';
const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';
const MAX_BODY_LENGTH = 1600;

export type MessageStatus =
  | 'queued' | 'sending' | 'sent' | 'failed' | 'delivered' | 'undelivered'
  | 'receiving' | 'received' | 'accepted' | 'scheduled' | 'read'
  | 'partially_delivered' | 'canceled';

/** The JSON Message resource, shaped like `api.v2010.account.message`. */
export interface MessageResource {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: MessageStatus;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/**
 * What the stand-in does with one create request. A 2xx status is the normal
 * success path (validation, idempotency, creation); any other status answers
 * with a Twilio error body.
 */
export type StandinBehaviour =
  | { status: number; code?: number; message?: string; headers?: Record<string, string> }
  | { delayMs: number; then?: StandinBehaviour }
  | { hang: true }
  /** The message is created at once; the 201 answer follows after `answerAfterMs` (a slow response). */
  | { answerAfterMs: number }
  /** `afterCreate`: the message is created, then the response is lost. */
  | { destroy: true; afterCreate?: boolean };

export interface RecordedRequest {
  at: number;
  headers: http.IncomingHttpHeaders;
  /** Form body; for a repeated key (MediaUrl) the last value. */
  params: Record<string, string>;
  rawBody: string;
  idempotencyToken: string | undefined;
  accountSid: string;
  /** A success answered from an earlier request with the same token. */
  replayed: boolean;
  /** Unset while pending, for hung or destroyed requests, and when the client left first. */
  responseStatus?: number;
  sid?: string;
}

export interface SentWebhook {
  at: number;
  kind: 'status' | 'inbound';
  url: string;
  params: Record<string, string>;
  signature: string;
  idempotencyToken: string;
  responseStatus?: number;
  responseBody?: string;
  error?: string;
}

export interface SendStatusOptions {
  errorCode?: number;
  /** Overrides the message's StatusCallback. */
  url?: string;
  /** Reuse a token to imitate Twilio redelivering the same callback. */
  idempotencyToken?: string;
}

export interface InboundSms {
  From: string;
  To: string;
  Body: string;
  MessageSid?: string;
  NumMedia?: string | number;
  NumSegments?: string | number;
  MessagingServiceSid?: string;
  media?: { url: string; contentType: string }[];
  /** Further fields Twilio may add (FromCity, ToCountry, …). */
  extra?: Record<string, string>;
}

export interface WebhookResult {
  status: number;
  body: string;
  params: Record<string, string>;
}

/** A Content API resource with its WhatsApp approval, as `GET /v1/ContentAndApprovals` lists it. */
export interface ContentResource {
  sid: string;
  account_sid: string;
  friendly_name: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, { body: string }>;
  approval_requests: { name: string; category: string; content_type: string; status: string; rejection_reason: string };
  date_created: string;
  date_updated: string;
  url: string;
}

/** A `twilio/text` template of the account, approved (or in another state) for WhatsApp. */
export function contentTemplate(accountSid: string, sid: string, name: string, body: string, variables: Record<string, string>, status = 'approved'): ContentResource {
  const now = new Date().toISOString();
  return {
    sid,
    account_sid: accountSid,
    friendly_name: name,
    language: 'en',
    variables,
    types: { 'twilio/text': { body } },
    approval_requests: { name, category: 'UTILITY', content_type: 'twilio/text', status, rejection_reason: '' },
    date_created: now,
    date_updated: now,
    url: `https://content.twilio.com/v1/Content/${sid}`,
  };
}

export interface TwilioStandinOptions {
  accountSid: string;
  authToken: string;
  /** The account's templates (Content API); a create with a ContentSid gets its text, blanks filled in. */
  templates?: ContentResource[];
  port?: number;
  /** Statuses sent, in order, after each successful create that has a StatusCallback. */
  autoCallbacks?: MessageStatus[];
  callbackDelayMs?: number;
}

export interface TwilioStandin {
  url: string;
  accountSid: string;
  authToken: string;
  requests: RecordedRequest[];
  messages: Map<string, MessageResource>;
  webhooks: SentWebhook[];
  /** Queues behaviours, consumed one per create request, before the default. */
  script(...behaviours: StandinBehaviour[]): void;
  /** Replaces the default (success) for when the script queue is empty. */
  alwaysFail(behaviour: StandinBehaviour): void;
  /** Clears the script queue and `alwaysFail`; records are kept. */
  reset(): void;
  /** Clears requests, messages, webhooks and remembered idempotency tokens. */
  clearRecords(): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** How many times the message list was read (GET Messages.json). */
  readonly listRequests: number;
  /** How many times the templates were listed (GET /v1/ContentAndApprovals). */
  readonly contentListRequests: number;
  sendStatus(sid: string, status: MessageStatus, opts?: SendStatusOptions): Promise<number>;
  sendInbound(url: string, sms: InboundSms): Promise<WebhookResult>;
  /** Resolves once automatic callbacks started so far have been sent. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

const DEFAULT_ERRORS: Record<number, { code: number; message: string }> = {
  401: { code: 20003, message: 'Authenticate' },
  403: { code: 20403, message: 'Forbidden' },
  404: { code: 20404, message: 'The requested resource was not found' },
  429: { code: 20429, message: 'Too Many Requests' },
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
};

function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio writes RFC 2822 with a numeric zone; the library's parser needs "+0000". */
function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const PHONE_OR_CHANNEL = /^(\+[1-9]\d{1,14}|[a-z]+:.+)$/;

export async function startTwilioStandin(opts: TwilioStandinOptions): Promise<TwilioStandin> {
  const { accountSid, authToken } = opts;
  const callbackDelayMs = opts.callbackDelayMs ?? 20;
  const autoCallbacks = opts.autoCallbacks ?? [];

  const requests: RecordedRequest[] = [];
  let listRequests = 0;
  let contentListRequests = 0;
  const templates = opts.templates ?? [];
  const messages = new Map<string, MessageResource>();
  const webhooks: SentWebhook[] = [];
  const statusCallbacks = new Map<string, string>();
  // Token → the exact success response first given for it.
  const idempotent = new Map<string, { status: number; resource: MessageResource }>();
  const queue: StandinBehaviour[] = [];
  let fallback: StandinBehaviour | undefined;
  let closed = false;

  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const outgoing = new Set<http.ClientRequest>();
  const pendingChains = new Set<Promise<void>>();
  const requestWaiters = new Set<() => void>();

  // Resolves early on close so nothing waits on a cleared timer.
  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleepers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleepers.add(entry);
    });
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, status: number, code?: number, message?: string, headers?: Record<string, string>): void {
    const known = DEFAULT_ERRORS[status] ?? { code: 20000 + status, message: http.STATUS_CODES[status] ?? 'Error' };
    sendJson(res, status, twilioError(status, code ?? known.code, message ?? known.message), headers);
  }

  function authorized(req: http.IncomingMessage): boolean {
    const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && decoded.slice(0, colon) === accountSid && decoded.slice(colon + 1) === authToken;
  }

  function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  function validate(form: URLSearchParams): { code: number; message: string } | undefined {
    const to = form.get('To');
    if (!to) return { code: 21604, message: "A 'To' phone number is required." };
    if (!PHONE_OR_CHANNEL.test(to)) return { code: 21211, message: `The 'To' number ${to} is not a valid phone number.` };
    if (!form.get('From') && !form.get('MessagingServiceSid')) {
      return { code: 21603, message: "A 'From' phone number is required." };
    }
    const body = form.get('Body') ?? '';
    if (!body && !form.get('MediaUrl') && !form.get('ContentSid')) {
      return { code: 21602, message: 'Message body is required.' };
    }
    const contentSid = form.get('ContentSid');
    if (contentSid && !templates.some((t) => t.sid === contentSid)) return { code: 21655, message: 'The ContentSid is Invalid.' };
    const vars = form.get('ContentVariables');
    if (vars !== null) {
      try {
        if (typeof JSON.parse(vars) !== 'object') throw new Error();
      } catch {
        return { code: 21656, message: 'The ContentVariables Parameter is invalid.' };
      }
    }
    // A WhatsApp message goes from a WhatsApp sender (63007: no WhatsApp channel with that From).
    const from = form.get('From');
    if (to.startsWith('whatsapp:') && from && !from.startsWith('whatsapp:')) {
      return { code: 63007, message: `Twilio could not find a Channel with the specified From address: ${from}` };
    }
    if (body.length > MAX_BODY_LENGTH) {
      return { code: 21617, message: 'The concatenated message body exceeds the 1600 character limit.' };
    }
    return undefined;
  }

  function createMessage(form: URLSearchParams): MessageResource {
    const mediaCount = form.getAll('MediaUrl').length;
    const sid = newSid(mediaCount > 0 ? 'MM' : 'SM');
    const now = rfc2822(new Date());
    const from = form.get('From');
    const serviceSid = form.get('MessagingServiceSid');
    const body = form.get('ContentSid') ? filledTemplate(form) : (form.get('Body') ?? '');
    const resource: MessageResource = {
      account_sid: accountSid,
      api_version: API_VERSION,
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: serviceSid ?? null,
      num_media: String(mediaCount),
      num_segments: String(countSegments(body)),
      price: null,
      price_unit: 'USD',
      sid,
      // Twilio answers "accepted" when a Messaging Service still has to pick the sender.
      status: !from && serviceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: form.get('To')!,
      uri: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`,
    };
    messages.set(sid, resource);
    const callback = form.get('StatusCallback');
    if (callback) {
      statusCallbacks.set(sid, callback);
      if (autoCallbacks.length > 0) startAutoCallbacks(sid);
    }
    return resource;
  }

  /** Twilio writes a template's text, blanks filled in, as the message's body. */
  function filledTemplate(form: URLSearchParams): string {
    const template = templates.find((t) => t.sid === form.get('ContentSid'))!;
    const vars = JSON.parse(form.get('ContentVariables') ?? '{}') as Record<string, string>;
    return template.types['twilio/text']!.body.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? template.variables[name] ?? whole);
  }

  function startAutoCallbacks(sid: string): void {
    const chain = (async () => {
      for (const status of autoCallbacks) {
        await sleep(callbackDelayMs);
        if (closed) return;
        try {
          await sendStatus(sid, status);
        } catch {
          // Recorded in `webhooks`; a down receiver must not crash the run.
        }
      }
    })();
    pendingChains.add(chain);
    void chain.finally(() => pendingChains.delete(chain));
  }

  /** The success path: validation, idempotent replay, creation. */
  function succeed(rec: RecordedRequest, form: URLSearchParams, status: number): { status: number; body: unknown } {
    const invalid = validate(form);
    if (invalid) return { status: 400, body: twilioError(400, invalid.code, invalid.message) };
    const token = rec.idempotencyToken;
    const earlier = token === undefined ? undefined : idempotent.get(token);
    if (earlier) {
      rec.replayed = true;
      rec.sid = earlier.resource.sid;
      return { status: earlier.status, body: earlier.resource };
    }
    const resource = createMessage(form);
    rec.sid = resource.sid;
    if (token !== undefined) idempotent.set(token, { status, resource: structuredClone(resource) });
    return { status, body: resource };
  }

  async function perform(
    behaviour: StandinBehaviour,
    rec: RecordedRequest,
    form: URLSearchParams,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    if ('delayMs' in behaviour) {
      await sleep(behaviour.delayMs);
      // A client that gave up meanwhile still gets its message created, as
      // with a slow Twilio: that is the case idempotent retries exist for.
      if (closed) return;
      return perform(behaviour.then ?? { status: 201 }, rec, form, req, res);
    }
    if ('hang' in behaviour) return; // close() destroys the socket
    if ('answerAfterMs' in behaviour) {
      const out = succeed(rec, form, 201);
      await sleep(behaviour.answerAfterMs);
      if (closed || res.destroyed) return;
      rec.responseStatus = out.status;
      return sendJson(res, out.status, out.body);
    }
    if ('destroy' in behaviour) {
      if (behaviour.afterCreate) succeed(rec, form, 201);
      req.socket.destroy();
      return;
    }
    if (behaviour.status >= 200 && behaviour.status < 300) {
      const out = succeed(rec, form, behaviour.status);
      if (!res.destroyed) rec.responseStatus = out.status;
      sendJson(res, out.status, out.body, behaviour.headers);
      return;
    }
    if (!res.destroyed) rec.responseStatus = behaviour.status;
    let message = behaviour.message;
    if (message === undefined && behaviour.status === 400 && (behaviour.code ?? 21211) === 21211) {
      message = `The 'To' number ${form.get('To') ?? ''} is not a valid phone number.`;
    }
    sendError(res, behaviour.status, behaviour.code ?? (behaviour.status === 400 ? 21211 : undefined), message, behaviour.headers);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://standin').pathname;
    const rawBody = await readBody(req);
    const create = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages\\.json$`).exec(path);
    const fetchOne = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages/([^/]+)\\.json$`).exec(path);

    if (create && req.method === 'POST') {
      const form = new URLSearchParams(rawBody);
      const token = req.headers[IDEMPOTENCY_HEADER];
      const rec: RecordedRequest = {
        at: Date.now(),
        headers: req.headers,
        params: Object.fromEntries(form),
        rawBody,
        idempotencyToken: Array.isArray(token) ? token[0] : token,
        accountSid: create[1]!,
        replayed: false,
      };
      requests.push(rec);
      for (const wake of requestWaiters) wake();

      if (!authorized(req)) {
        rec.responseStatus = 401;
        return sendError(res, 401, undefined, undefined, { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
      }
      if (create[1] !== accountSid) {
        rec.responseStatus = 404;
        return sendError(res, 404, 20404, `The requested resource ${path} was not found`);
      }
      const behaviour = queue.shift() ?? fallback ?? { status: 201 };
      return perform(behaviour, rec, form, req, res);
    }

    if (fetchOne && req.method === 'GET') {
      if (!authorized(req)) return sendError(res, 401);
      const resource = fetchOne[1] === accountSid ? messages.get(fetchOne[2]!) : undefined;
      if (!resource) return sendError(res, 404, 20404, `The requested resource ${path} was not found`);
      return sendJson(res, 200, resource);
    }

    if (path === '/v1/ContentAndApprovals' && req.method === 'GET') {
      if (!authorized(req)) return sendError(res, 401);
      contentListRequests++;
      const url = 'https://content.twilio.com/v1/ContentAndApprovals';
      return sendJson(res, 200, {
        contents: templates,
        meta: { page: 0, page_size: templates.length || 50, first_page_url: url, previous_page_url: null, url, next_page_url: null, key: 'contents' },
      });
    }

    if (create && req.method === 'GET') {
      // Read Multiple Message Resources: newest first, filtered by To/From, one page.
      if (!authorized(req)) return sendError(res, 401);
      listRequests++;
      const query = new URL(req.url ?? '/', 'http://standin').searchParams;
      const pageSize = Number(query.get('PageSize') ?? 50);
      const found = [...messages.values()]
        .filter((m) => (!query.get('To') || m.to === query.get('To')) && (!query.get('From') || m.from === query.get('From')))
        .reverse()
        .slice(0, pageSize);
      const uri = `/${API_VERSION}/Accounts/${create[1]}/Messages.json`;
      return sendJson(res, 200, {
        messages: found,
        page: 0,
        page_size: pageSize,
        start: 0,
        end: Math.max(0, found.length - 1),
        uri,
        first_page_uri: uri,
        next_page_uri: null,
        previous_page_uri: null,
      });
    }

    if (create || fetchOne) return sendError(res, 405, 20004, 'Method not allowed');
    sendError(res, 404, 20404, `The requested resource ${path} was not found`);
  }

  function postSigned(kind: SentWebhook['kind'], url: string, params: Record<string, string>, token?: string): Promise<WebhookResult> {
    const signature = signTwilioRequest(authToken, url, params);
    const entry: SentWebhook = {
      at: Date.now(),
      kind,
      url,
      params,
      signature,
      idempotencyToken: token ?? `${accountSid}-${randomUUID()}`,
    };
    webhooks.push(entry);
    const payload = new URLSearchParams(params).toString();
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        target,
        {
          method: 'POST',
          // No pooling: a kept-alive socket would hold the test process open.
          agent: false,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(payload),
            'X-Twilio-Signature': signature,
            'I-Twilio-Idempotency-Token': entry.idempotencyToken,
            'User-Agent': 'TwilioProxy/1.1',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            outgoing.delete(req);
            entry.responseStatus = res.statusCode ?? 0;
            entry.responseBody = Buffer.concat(chunks).toString('utf8');
            resolve({ status: entry.responseStatus, body: entry.responseBody, params });
          });
          res.on('error', fail);
        },
      );
      function fail(err: Error): void {
        outgoing.delete(req);
        entry.error = err.message;
        reject(err);
      }
      req.on('error', fail);
      outgoing.add(req);
      req.end(payload);
    });
  }

  async function sendStatus(sid: string, status: MessageStatus, o: SendStatusOptions = {}): Promise<number> {
    const message = messages.get(sid);
    const url = o.url ?? statusCallbacks.get(sid);
    if (!url) throw new Error(`No StatusCallback known for ${sid}; pass { url }`);
    if (message) {
      const now = rfc2822(new Date());
      message.status = status;
      message.date_updated = now;
      if (status === 'sent' && !message.date_sent) message.date_sent = now;
      if (o.errorCode !== undefined) message.error_code = o.errorCode;
    }
    const params: Record<string, string> = {
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      AccountSid: accountSid,
      From: message?.from ?? '',
      To: message?.to ?? '',
      ApiVersion: API_VERSION,
    };
    if (message?.messaging_service_sid) params.MessagingServiceSid = message.messaging_service_sid;
    if (o.errorCode !== undefined) params.ErrorCode = String(o.errorCode);
    return (await postSigned('status', url, params, o.idempotencyToken)).status;
  }

  function sendInbound(url: string, sms: InboundSms): Promise<WebhookResult> {
    const media = sms.media ?? [];
    const sid = sms.MessageSid ?? newSid(media.length > 0 ? 'MM' : 'SM');
    const params: Record<string, string> = {
      ...sms.extra,
      MessageSid: sid,
      SmsSid: sid,
      SmsMessageSid: sid,
      AccountSid: accountSid,
      From: sms.From,
      To: sms.To,
      Body: sms.Body,
      NumMedia: String(sms.NumMedia ?? media.length),
      NumSegments: String(sms.NumSegments ?? countSegments(sms.Body)),
      SmsStatus: 'received',
      ApiVersion: API_VERSION,
    };
    if (sms.MessagingServiceSid) params.MessagingServiceSid = sms.MessagingServiceSid;
    media.forEach((m, i) => {
      params[`MediaUrl${i}`] = m.url;
      params[`MediaContentType${i}`] = m.contentType;
    });
    return postSigned('inbound', url, params);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) res.destroy();
      else sendError(res, 500, 20500, err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    get contentListRequests() {
      return contentListRequests;
    },
    get listRequests() {
      return listRequests;
    },
    messages,
    webhooks,
    script: (...behaviours) => void queue.push(...behaviours),
    alwaysFail: (behaviour) => void (fallback = behaviour),
    reset() {
      queue.length = 0;
      fallback = undefined;
    },
    clearRecords() {
      requests.length = 0;
      webhooks.length = 0;
      messages.clear();
      statusCallbacks.clear();
      idempotent.clear();
    },
    waitForRequests(count, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length < count) return;
          requestWaiters.delete(check);
          clearTimeout(timer);
          resolve(requests.slice(0, count));
        };
        const timer = setTimeout(() => {
          requestWaiters.delete(check);
          reject(new Error(`Expected ${count} requests, got ${requests.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        requestWaiters.add(check);
        check();
      });
    },
    sendStatus,
    sendInbound,
    async callbacksSettled() {
      while (pendingChains.size > 0) await Promise.all([...pendingChains]);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.wake();
      }
      sleepers.clear();
      for (const req of outgoing) req.destroy();
      outgoing.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      // Ends hung and kept-alive connections; server.close() alone would wait for them.
      server.closeAllConnections();
      await done;
    },
  };
}
