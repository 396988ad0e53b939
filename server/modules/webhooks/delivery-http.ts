import http from 'node:http';
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, refuseUrl, type WebhookNetwork } from './address-guard.ts';

/** The longest a delivery may take, and the most of an answer read (the log keeps 1 KB of it). */
export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;
const KEPT_ANSWER_BYTES = 1024;

/** A new signing secret, as Standard Webhooks writes them: `whsec_` and 32 random bytes in base64. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * The three Standard Webhooks headers for one attempt: the event's id (the same on every
 * attempt), the time of this attempt, and a signature by each secret in use (two while a rotated
 * one is still honoured: a receiver that knows either accepts it).
 */
export function signedHeaders(secrets: string[], webhookId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(webhookId, at, body)).join(' '),
  };
}

// One kept-alive connection per receiver: an endpoint's deliveries go one after another, so a new
// connection (and TLS handshake) for each would be most of their cost. A connection is opened
// through the guarded lookup, so reusing it reaches only the address already checked.
const agents = new Map<string, http.Agent>();
function agentFor(target: URL): http.Agent {
  const key = `${target.protocol}//${target.host}`;
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= 100) {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    }
    // Idle connections close after 4 s: before the usual 5 s a server keeps one (Node's own
    // default), so a delivery does not meet one the receiver is closing.
    const options = { keepAlive: true, maxSockets: 4, timeout: 4_000 };
    agent = target.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export type Attempt =
  | { ok: boolean; status: number; durationMs: number; answer: string }
  | { ok: false; status: null; durationMs: number; error: string };

/**
 * POSTs one delivery: only to a URL the rules allow, to a public address (checked on the address
 * the connection uses), within DELIVERY_TIMEOUT_MS, reading at most 64 KB of the answer and
 * following no redirect (a 3xx is a failure). Written on Node's http client because it is the
 * one whose DNS lookup can be replaced per request, which is where the address check must sit.
 */
export function postDelivery(url: string, headers: Record<string, string>, body: string, network: WebhookNetwork, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refused = refuseUrl(url, network);
  if (refused) return Promise.resolve({ ok: false, status: null, durationMs: 0, error: refused });
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Hatch-Webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(network),
        agent: agentFor(target),
      },
      (res) => {
        let kept = Buffer.alloc(0);
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (kept.length < KEPT_ANSWER_BYTES) kept = Buffer.concat([kept, chunk.subarray(0, KEPT_ANSWER_BYTES - kept.length)]);
          if (size > MAX_ANSWER_BYTES) res.destroy();
        });
        const finish = () => {
          const status = res.statusCode ?? 0;
          done({ ok: status >= 200 && status < 300, status, durationMs: elapsed(), answer: kept.toString('utf8') });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, status: null, durationMs: elapsed(), error: `No answer within ${timeoutMs / 1000} s.` });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, status: null, durationMs: elapsed(), error: err.code === 'EWEBHOOKADDRESS' ? err.message : `${err.code ?? 'ERROR'}: ${err.message}` }));
    req.end(body);
  });
}
