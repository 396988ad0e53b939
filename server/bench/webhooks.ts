// The cost of outbound webhooks beside message fan-out: endpoints asking for every new message,
// each a receiver on this machine that verifies nothing and answers 204 at once (the cost measured
// is Hatch's: queuing from the feed, signing, posting, recording). Endpoints are made straight in
// the database: the bench's token is a program's, and making endpoints is for admins.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { summarize } from './stats.ts';

export interface WebhookLoad {
  endpoints: number;
  /** Deliveries accepted per second, all endpoints together, while measured. */
  deliveriesPerSecond: number;
  /** From the message's creation (its `createdAt`) to its delivery reaching the receiver, ms. */
  latency: { n: number; p50: number; p99: number; max: number };
  /** Events delivered more than once, or never, by the end (at least once allows doubles; none are expected). */
  doubled: number;
  stop(): Promise<{ missing: number }>;
  /** Starts counting from now (the figures cover what arrives after it). */
  mark(): void;
}

/**
 * Registers `n` endpoints (message.created) for a receiver in this process and records, for each
 * delivery, how long after the message was created it arrived.
 */
export async function startWebhookLoad(databaseUrl: string, n: number): Promise<WebhookLoad> {
  const seen = new Map<string, number>();
  let latencies: number[] = [];
  let counted = 0;
  let since = Date.now();
  let doubled = 0;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const key = `${req.url} ${req.headers['webhook-id']}`;
      if (seen.has(key)) doubled++;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { message?: { createdAt?: string } } };
        const created = body.data?.message?.createdAt;
        if (created) latencies.push(at - Date.parse(created));
      } catch {
        // Not ours to judge: counted as delivered all the same.
      }
      counted++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const [row] = (
        await client.query<{ id: string }>(
          `INSERT INTO webhook_endpoints (url, description, events, secret, position)
           VALUES ($1, $2, ARRAY['message.created'], $3, (SELECT position FROM feed_head WHERE id = 1)) RETURNING id`,
          [`${url}/hook/${i}`, `bench ${i}`, `whsec_${Buffer.alloc(32, i + 1).toString('base64')}`],
        )
      ).rows;
      ids.push(row!.id);
    }
  } finally {
    await client.end();
  }
  return {
    endpoints: n,
    get deliveriesPerSecond() {
      return counted / Math.max(0.001, (Date.now() - since) / 1000);
    },
    get latency() {
      return summarize(latencies);
    },
    get doubled() {
      return doubled;
    },
    mark() {
      latencies = [];
      counted = 0;
      since = Date.now();
    },
    async stop() {
      // Whatever is still queued has a few seconds to arrive; what never does is missing.
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        let missing = 0;
        for (let i = 0; i < 100; i++) {
          const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'PENDING'`);
          missing = Number(rows[0]!.n);
          if (missing === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`DELETE FROM webhook_endpoints WHERE id = ANY($1::uuid[])`, [ids]);
        return { missing };
      } finally {
        await c.end();
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    },
  };
}
