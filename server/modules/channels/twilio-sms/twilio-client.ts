import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

export const IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;
export type HttpClientOptions = RequestClient.RequestClientOptions;

const scopedHeaders = new AsyncLocalStorage<Record<string, string>>();

/**
 * Runs `fn` so that every Twilio API request it starts carries `headers`.
 *
 * The generated resource methods (`client.messages.create(...)`) build their
 * own header object and accept no extra headers, so the only hook that sees
 * each request is the http client. AsyncLocalStorage carries the value from
 * the call site through the library's promise chain to `request()`, including
 * the library's own 429 retries (they reuse the prepared request), without a
 * shared mutable field that concurrent sends would race on.
 */
export function withTwilioHeaders<T>(headers: Record<string, string>, fn: () => T): T {
  return scopedHeaders.run({ ...scopedHeaders.getStore(), ...headers }, fn);
}

export function withIdempotencyToken<T>(token: string, fn: () => T): T {
  return withTwilioHeaders({ [IDEMPOTENCY_HEADER]: token }, fn);
}

/** The library's client, plus the headers set by `withTwilioHeaders`. */
export class HeaderScopedRequestClient extends twilio.RequestClient {
  override request<TData>(opts: RequestOptions<TData>) {
    const extra = scopedHeaders.getStore();
    return super.request(extra ? { ...opts, headers: { ...opts.headers, ...extra } } : opts);
  }
}

/**
 * Sends every request to `baseUrl` instead of Twilio's host, keeping path and
 * query. The library has no base-URL option (edge/region only change the
 * host name), so this is the supported seam for a local or recorded API.
 */
export class RedirectingRequestClient extends HeaderScopedRequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, opts?: HttpClientOptions) {
    super(opts);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const original = new URL(opts.uri);
    const target = new URL(this.base.href);
    // A base URL with a path prefix (e.g. a proxy mount point) is kept in front.
    target.pathname = this.base.pathname.replace(/\/$/, '') + original.pathname;
    target.search = original.search;
    return super.request({ ...opts, uri: target.href });
  }
}

export interface CreateTwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** e.g. `http://127.0.0.1:4010`; Twilio's own hosts when unset. */
  apiUrl?: string;
  /** Timeout, keep-alive and 429 auto-retry settings of the http client. */
  http?: HttpClientOptions;
}

export function createTwilioClient(opts: CreateTwilioClientOptions): twilio.Twilio {
  // Always our own http client, even without apiUrl: it is what lets callers
  // add the idempotency header. The library ignores its own http settings
  // once an httpClient is given, hence `http` is passed here instead.
  const httpClient = opts.apiUrl
    ? new RedirectingRequestClient(opts.apiUrl, opts.http)
    : new HeaderScopedRequestClient(opts.http);
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}
