import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The README is where people start: what it tells them to type or set must exist. */
describe('the README', () => {
  it('names only npm scripts that exist', () => {
    const named = new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(named.size).toBeGreaterThan(10);
    for (const name of named) expect(scripts, `npm run ${name}`).toContain(name);
  });

  it('documents every configuration key, and names no key the server does not read', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Security'));
    const documented = new Set([...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((k) => k[1]!)));
    for (const key of ENV_KEYS) expect(documented, key).toContain(key);
    // Anywhere in the README, an UPPER_CASE word in backticks is a setting, a code the server
    // really returns (an error code, a Twilio-facing value), or a key the test and benchmark
    // tooling reads: it appears in the source.
    const source = serverSource();
    for (const m of readme.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`/g)) {
      const key = m[1]!;
      if (ENV_KEYS.includes(key.replace(/_FILE$/, ''))) continue;
      const named = [`'${key}'`, `"${key}"`, `env.${key}`].some((form) => source.includes(form));
      expect(named, `${key} is neither a setting nor a value in the source`).toBe(true);
    }
  });

  it('points only at files that exist', () => {
    const files = new Set([...readme.matchAll(/`((?:server|web|deploy|prisma|sql|examples|bench)\/[\w./-]+|Dockerfile|docker-compose\.yaml|\.env\.example|schema\.graphql)`/g)].map((m) => m[1]!));
    expect(files.size).toBeGreaterThan(10);
    for (const file of files) {
      // dist/ paths only exist after a build; <placeholders> are patterns.
      if (file.includes('<') || /(^|\/)dist(\/|$)/.test(file)) continue;
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });
});

function serverSource(): string {
  return readdirSync(path.join(ROOT, 'server'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.m?[jt]s$/.test(f) && !f.includes('generated') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(ROOT, 'server', f), 'utf8'))
    .concat(['vitest.config.ts', 'web/vite.config.ts', '.ci/run'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')))
    .join('\n');
}
