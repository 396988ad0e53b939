import { describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startServerProcess } from '../testing/server-process.ts';

// A supervisor's log collector that died, or `npm start | tee` that ended: the server's stdout and
// stderr are pipes nobody reads. Stopping must not depend on a log line getting through.
describe('`npm start` whose log reader has gone', () => {
  it('still stops on SIGTERM, at once and with exit code 0', async () => {
    const store = await testDatabases()[0]!.durable();
    const server = await startServerProcess({ ...store.env, DATABASE_URL: '', LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT: '10s' });
    try {
      // The reading ends of both pipes closed; the next writes fail with EPIPE.
      server.process.stdout!.destroy();
      server.process.stderr!.destroy();
      // Requests that log (debug level logs every request) while nobody reads.
      for (let i = 0; i < 20; i++) await fetch(`${server.url}/health`);
      const started = Date.now();
      const code = await Promise.race([server.stop('SIGTERM'), new Promise((r) => setTimeout(() => r('still running'), 8000))]);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.stop('SIGKILL');
      await store.drop();
    }
  }, 60_000);
});
