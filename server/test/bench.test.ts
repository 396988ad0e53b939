import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManyReport } from '../bench/many.ts';
import type { Report } from '../bench/report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const postgres = process.env.TEST_DATABASE_URL;

// `npm run bench` at a small size, so the command keeps working; its figures are not judged here
// (speed is the benchmark's business), only that every part ran and nothing was lost or doubled.
describe.skipIf(!postgres)('the benchmark', () => {
  it('runs every part against real Postgres and writes its report', { timeout: 600_000 }, () => {
    const run = spawnSync('npx', ['tsx', 'server/bench/run.ts'], { cwd: ROOT, env: { ...process.env, BENCH_QUICK: '1', BENCH_DATABASE_URL: postgres }, encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    const report = JSON.parse(readFileSync(path.join(ROOT, 'server/bench/results/quick.json'), 'utf8')) as Report;
    expect(Object.keys(report.subscribers)).toEqual(['reference (distinct)', 'Hatch, distinct connections', 'Hatch, single connection']);
    for (const run of Object.values(report.subscribers)) {
      expect(run.latency.length).toBe(2);
      for (const l of run.latency) expect({ lost: l.lost, doubled: l.doubled, errors: l.sendErrors, n: l.n }).toEqual({ lost: 0, doubled: 0, errors: 0, n: l.sent * l.subscribers });
    }
    expect(report.throughput.map((t) => t.hatch.errors)).toEqual([0, 0, 0]);
    expect(report.reads.messages).toBe(20_000);
    expect(Object.keys(report.reads.queries)).toHaveLength(10);
    // The first page's floor is timed in the same rounds as the page and { __typename }.
    expect(report.reads.queries["the page's ids alone (one SQL statement), alternating with both"]!.p99).toBeGreaterThan(0);
    expect(report.idleRss.hatchEmbedded).toBeGreaterThan(0);
    // Webhooks beside fan-out: every message delivered to every endpoint, once.
    expect({ missing: report.webhooks!.missing, doubled: report.webhooks!.doubled }).toEqual({ missing: 0, doubled: 0 });
    expect(report.webhooks!.latency.n).toBeGreaterThan(0);
  });

  it('opens many subscribers on SSE and WebSocket, in Hatch and in the reference, from eight source addresses, and each gets every event', { timeout: 600_000 }, () => {
    const run = spawnSync('npx', ['tsx', 'server/bench/run.ts', 'many'], { cwd: ROOT, env: { ...process.env, BENCH_QUICK: '1', BENCH_MANY: '160', BENCH_DATABASE_URL: postgres }, encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    const report = JSON.parse(readFileSync(path.join(ROOT, 'server/bench/results/quick.many.json'), 'utf8')) as ManyReport;
    expect(report.rows.map((r) => r.transport)).toEqual(['SSE, distinct connections', 'SSE, reference (plain Node)', 'WebSocket', 'WebSocket, reference (plain ws)']);
    for (const row of report.rows) {
      expect(row.failed).toBeUndefined();
      expect({ lost: row.stream.lost, doubled: row.stream.doubled, n: row.stream.n }).toEqual({ lost: 0, doubled: 0, n: row.stream.sent * 160 });
      // Twenty from each of 127.0.0.2 … 127.0.0.9 (and the sender's own connection from 127.0.0.1).
      const sources = Object.fromEntries(Object.entries(row.sources).filter(([ip]) => ip !== '127.0.0.1'));
      expect(sources).toEqual(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`127.0.0.${2 + i}`, 20])));
      expect(row.rssFull).toBeGreaterThan(0);
      expect(row.heapBytesEach).toBeGreaterThan(0);
    }
  });
});
