import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_KEYS, loadDotEnv } from '../env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

// No Docker engine runs here: the deployment files are kept honest by reading them.
describe('the deployment files', () => {
  const compose = parse(read('docker-compose.yaml'), { merge: true });
  const apps = Object.entries<Record<string, any>>(compose.services).filter(([, s]) => s.build);

  it('pass Hatch only keys its configuration knows (or their _FILE forms)', () => {
    expect(apps.map(([name]) => name).sort()).toEqual(['hatch', 'hatch1', 'hatch2']);
    for (const [name, service] of apps) {
      for (const key of Object.keys(service.environment)) {
        const known = ENV_KEYS.includes(key) || (key.endsWith('_FILE') && ENV_KEYS.includes(key.slice(0, -5)));
        expect(known, `${name}: ${key}`).toBe(true);
      }
    }
  });

  it('keep sign-in on, secrets in Docker secrets, Postgres 16, and the port on this machine only', () => {
    expect(compose.services.db.image).toBe('postgres:16');
    for (const [name, service] of apps) {
      expect(service.environment.HATCH_AUTH, name).not.toMatch(/^(off|false|0)$/);
      expect(Object.keys(service.environment).filter((k) => /PASSWORD$|TOKEN$/.test(k)), name).toEqual([]);
      for (const secret of service.secrets) expect(compose.secrets[secret], secret).toBeDefined();
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    for (const port of compose.services.proxy.ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(compose.services.hatch1.environment.HATCH_REPLICA_ID).toBe('hatch1');
    expect(read('deploy/nginx.conf')).toMatch(/hatch1 hatch1;\s*hatch2 hatch2;/);
  });

  it('.env.example lists every key the configuration reads, and nothing else', () => {
    const listed = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect([...listed].sort()).toEqual([...ENV_KEYS].sort());
  });

  it('build a non-root image that checks its health and keeps its data in a volume', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/health/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--max-semi-space-size=4", "dist\/server\/main\.js"\]$/m);
  });
});

describe('a .env file', () => {
  it('is read at start, and the process environment wins over it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hatch-env-')), '.env');
    writeFileSync(file, 'HATCH_TEST_FROM_FILE=file\nHATCH_TEST_BOTH=file\n');
    process.env.HATCH_TEST_BOTH = 'process';
    try {
      loadDotEnv(file);
      expect(process.env.HATCH_TEST_FROM_FILE).toBe('file');
      expect(process.env.HATCH_TEST_BOTH).toBe('process');
      expect(() => loadDotEnv(path.join(path.dirname(file), 'absent.env'))).not.toThrow();
    } finally {
      delete process.env.HATCH_TEST_FROM_FILE;
      delete process.env.HATCH_TEST_BOTH;
    }
  });
});
