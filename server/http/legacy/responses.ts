import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HatchEnv } from '../context.ts';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/**
 * A refusal in the old API's shape: its clients read `error` (and `success` on send_message);
 * `code` is Hatch's stable code for the same problem, for clients written from now on.
 */
export function legacyError(status: number, code: string, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ success: false, error, code, ...extra }), { status, headers: { ...JSON_TYPE, ...headers } });
}

export function legacyJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_TYPE });
}

/**
 * `{"<key>": [...]}` written a page at a time as the client reads it: the old endpoints return
 * every conversation (or every message of one) in one answer, and a long history should neither
 * sit in memory whole nor hold a database connection while a slow client reads. A failure after
 * the first byte cuts the response, so a client sees a broken document, never a short list.
 */
export function jsonList(key: string, pages: AsyncGenerator<unknown[]>, log: Logger): Response {
  const encoder = new TextEncoder();
  let opened = false;
  let any = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = opened ? '' : `{${JSON.stringify(key)}:[`;
        opened = true;
        // A pull that enqueues nothing might not be called again: read until there is something.
        for (;;) {
          const page = await pages.next();
          if (page.done) {
            controller.enqueue(encoder.encode(`${chunk}]}`));
            controller.close();
            return;
          }
          for (const item of page.value) {
            chunk += `${any ? ',' : ''}${JSON.stringify(item)}`;
            any = true;
          }
          if (chunk) break;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (err) {
        log.error({ err, key }, 'listing failed part-way; the response was cut');
        controller.error(err);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(body, { status: 200, headers: JSON_TYPE });
}

/**
 * Puts refusals made before a legacy handler runs (by the request pipeline every API path shares:
 * body size, CORS, the browser's rules, unexpected errors) into the old API's shape, so that an
 * old client finds `error` wherever it looks. Event streams and successful answers pass untouched.
 */
export function legacyRefusals(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (res.status < 400 || !res.headers.get('content-type')?.includes('json')) return;
    const body = (await res.clone().json().catch(() => undefined)) as { success?: boolean; errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
    const first = body?.errors?.[0];
    // Answers in the old shape already (the legacy handlers' own) carry `success`.
    if (!body || 'success' in body || !first?.message) return;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      if (key !== 'content-type' && key !== 'content-length') headers[key] = value;
    });
    // The shared text speaks of GraphQL; the old endpoint took a JSON body.
    const error = res.status === 415 ? 'Send a JSON body with Content-Type: application/json, e.g. {"to": "...", "from": "...", "body": "..."}.' : first.message;
    c.res = undefined; // replaced whole: Hono would otherwise merge the old headers in
    c.res = legacyError(res.status, first.extensions?.code ?? 'BAD_REQUEST', error, {}, headers);
  };
}
