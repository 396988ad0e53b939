// Mutation → subscriber latency: N subscribers spread over the load generators, sends at a fixed
// rate (open loop: a send is never held back by a slow previous one), every event timed from just
// before its send to its arrival, and every subscriber's events checked for losses and doubles.
import { collectGarbage, LoadGenerator, rssOf, heapOf, type Server } from './processes.ts';
import type { Mode } from './subscribers.ts';
import { sleep, summarize } from './stats.ts';

export interface Target {
  name: string;
  server: Server;
  mode: Mode;
  headers: Record<string, string>;
  query: string;
  /** Sends one message with this body; resolves when the server has answered. */
  send(body: string): Promise<void>;
}

export interface Idle {
  subscribers: number;
  rssBytes: number;
  heapBytes: number;
}

export interface Latency {
  subscribers: number;
  rate: number;
  sent: number;
  sendErrors: number;
  /** Events received, all subscribers together. */
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  lost: number;
  doubled: number;
  /** CPU the load generators used, as a share of one core over the run. */
  generatorCpu: number;
  /** Subscriptions opened again so far because their first attempt failed to connect. */
  connectRetries: number;
}

export class FanOut {
  private open = 0;
  /** Measurements so far: each run's label is its own, so a second run at the same load counts nothing twice. */
  private runs = 0;
  constructor(
    private readonly target: Target,
    private readonly generators: LoadGenerator[],
  ) {}

  /** Opens subscribers until `total` are open, then waits until every one of them has had an event. */
  async openTo(total: number): Promise<Idle> {
    const extra = total - this.open;
    const per = Math.ceil(extra / this.generators.length);
    await Promise.all(
      this.generators.map((g, i) => {
        const count = Math.max(0, Math.min(per, extra - i * per));
        return g.open({ cmd: 'open', url: this.target.server.url, mode: this.target.mode, count, headers: this.target.headers, query: this.target.query });
      }),
    );
    this.open = total;
    const deadline = Date.now() + 180_000;
    for (let i = 0; this.generators.reduce((n, g) => n + g.live, 0) < total; i++) {
      if (Date.now() > deadline) {
        const sum = (f: (g: LoadGenerator) => number) => this.generators.reduce((n, g) => n + f(g), 0);
        const metrics = this.target.server.metricsUrl ? (await (await fetch(this.target.server.metricsUrl)).text()).split('\n').filter((l) => /^hatch_(event_streams_open|subscriptions_active|subscription_executions)/.test(l)) : [];
        throw new Error(`${this.target.name}: only ${sum((g) => g.live)} of ${total} subscribers live (${sum((g) => g.completed)} ended by the server, ${sum((g) => g.retries)} retried); ${metrics.join(', ')}`);
      }
      await this.target.send(`warm-up ${i} 0`).catch(() => {});
      // Each warm-up event goes to every subscriber already open; with thousands open, sending one
      // every 300 ms would keep the machine busy with them while the rest are still connecting.
      await sleep(Math.max(300, total / 5));
    }
    await sleep(1000);
    await collectGarbage(this.target.server);
    return { subscribers: total, rssBytes: rssOf(this.target.server.pid), heapBytes: await heapOf(this.target.server) };
  }

  async measure(rate: number, seconds: number): Promise<Latency> {
    const run = `${this.target.name}-${this.target.mode}-${this.open}-${rate}-${++this.runs}`.replace(/\s+/g, '_');
    // Anything still arriving from the warm-up is dropped before the run starts.
    await Promise.all(this.generators.map((g) => g.collect('warm-up', 0)));
    const count = rate * seconds;
    const started = performance.now();
    const sends: Promise<void>[] = [];
    let sendErrors = 0;
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(this.target.send(`${run} ${i} ${Date.now()}`).catch(() => void sendErrors++));
    }
    await Promise.all(sends);
    // Time for the last events to arrive; what has not by then counts as lost.
    await sleep(Math.max(5000, 1000 * seconds));
    const parts = await Promise.all(this.generators.map((g) => g.collect(run, count - sendErrors)));
    const elapsed = performance.now() - started;
    return {
      subscribers: this.open,
      rate,
      sent: count - sendErrors,
      sendErrors,
      ...summarize(parts.flatMap((p) => p.latencies)),
      lost: parts.reduce((n, p) => n + p.lost, 0),
      doubled: parts.reduce((n, p) => n + p.doubled, 0),
      generatorCpu: parts.reduce((n, p) => n + p.cpuMs, 0) / elapsed,
      connectRetries: parts.reduce((n, p) => n + p.retries, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.generators.map((g) => g.send({ cmd: 'close' }, 'closed')));
    this.open = 0;
  }
}
