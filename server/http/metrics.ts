import type { Hono } from 'hono';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { requireSignIn } from './authenticate.ts';
import type { HatchEnv } from './context.ts';

export const METRICS_PATH = '/metrics';

/** What the metrics read from the running parts of the server. */
export interface MetricSources {
  eventStreams(): number;
  subscriptions(): { subscriptions: number; executions: number };
  /** Listeners on the live feed inside this process. */
  feedListeners(): number;
}

/**
 * Prometheus metrics, in one registry per server (tests run several in one process), with Node's
 * own process metrics. Served at /metrics to signed-in callers (a read token for the scraper).
 */
export function createMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hatch_' });
  new Gauge({
    name: 'hatch_event_streams_open',
    help: 'Server-sent event streams open now (both SSE modes).',
    registers: [registry],
    collect() {
      this.set(sources.eventStreams());
    },
  });
  new Gauge({
    name: 'hatch_subscriptions_active',
    help: 'GraphQL subscriptions open now, over every transport.',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions().subscriptions);
    },
  });
  new Gauge({
    name: 'hatch_subscription_executions',
    help: 'Executions serving those subscriptions (subscribers with the same operation share one).',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions().executions);
    },
  });
  new Gauge({
    name: 'hatch_feed_listeners',
    help: 'Listeners on the live change feed in this process (one per execution; a leak shows here).',
    registers: [registry],
    collect() {
      this.set(sources.feedListeners());
    },
  });
  return registry;
}

export function mountMetrics(app: Hono<HatchEnv>, registry: Registry): void {
  app.get(METRICS_PATH, requireSignIn(), async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));
}
