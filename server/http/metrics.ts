import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { requireSignIn } from './authenticate.ts';
import type { HatchEnv } from './context.ts';

export const METRICS_PATH = '/metrics';

/** Prometheus metrics at /metrics, for signed-in callers (a read token for the scraper). */
export function mountMetrics(app: Hono<HatchEnv>, registry: Registry): void {
  app.get(METRICS_PATH, requireSignIn(), async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }));
}
