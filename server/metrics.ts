import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, in one registry per server (tests run several in one process).
 * Each part registers what it counts (`counter`, `histogram`) and what it shows (`gauge`, read from
 * the running part when scraped, so nothing polls in between scrapes); the request metrics are the
 * router's, here.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hatch_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'hatch_http_requests_total',
      help: 'Requests answered, by route, GraphQL operation and status class.',
      labelNames: ['route', 'operation', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'hatch_http_request_duration_seconds',
      help: 'Time to answer a request (to its first byte, for event streams).',
      labelNames: ['route', 'operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'hatch_graphql_errors_total',
      help: 'GraphQL errors returned, by operation and extensions.code.',
      labelNames: ['operation', 'code'] as const,
      registers,
    }),
    /** A counter of a part's own (each part registers what it counts). */
    counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
      return new Counter<L>({ name, help, labelNames, registers });
    },
    histogram(name: string, help: string, buckets: number[]) {
      return new Histogram({ name, help, buckets, registers });
    },
    /** A gauge read when scraped. */
    gauge(name: string, help: string, read: () => number | Promise<number>, labels?: Record<string, string>) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          try {
            this.set(labels ?? {}, await read());
          } catch {
            // A gauge whose source is away (the database restarting) keeps its last value.
          }
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Label values from clients (operation names) are bounded, so a client cannot blow up the series. */
export function boundedLabel(seen: Set<string>, value: string | undefined, max = 200): string {
  if (!value || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(value)) return value ? 'other' : 'none';
  if (seen.has(value)) return value;
  if (seen.size >= max) return 'other';
  seen.add(value);
  return value;
}
