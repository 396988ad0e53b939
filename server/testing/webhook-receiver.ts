import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  body: Record<string, any>;
  /** Whether `standardwebhooks`' verify accepted it with the secret(s) the receiver knew then. */
  verified: boolean;
  headers: Record<string, string>;
  raw: string;
}

/**
 * A webhook receiver as a customer would write one, on a real socket: each request verified with
 * the `standardwebhooks` library, then answered as the test commands: 204, a failure status, a
 * redirect, or no answer at all.
 */
export async function startReceiver() {
  let mode: { kind: 'ok' } | { kind: 'status'; status: number; body?: string } | { kind: 'hang' } = { kind: 'ok' };
  let secrets: string[] = [];
  const accepted: Received[] = [];
  const attempts: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const verified = secrets.some((s) => {
        try {
          new Webhook(s).verify(raw, headers);
          return true;
        } catch {
          return false;
        }
      });
      const body = JSON.parse(raw || '{}');
      const got: Received = { id: headers['webhook-id']!, type: body.type, body, verified, headers, raw };
      attempts.push(got);
      if (mode.kind === 'hang') return; // never answers: the sender's time limit ends it
      if (mode.kind === 'status') {
        res.writeHead(mode.status, mode.status >= 300 && mode.status < 400 ? { location: 'http://127.0.0.1:1/' } : {}).end(mode.body ?? '');
        return;
      }
      accepted.push(got);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    accepted,
    attempts,
    knows(...s: string[]) {
      secrets = s;
    },
    answer(next: typeof mode) {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
