import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../env.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** README.md and every page under docs/, by path from the root. */
const pages = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const docs = pages.map((page) => readFileSync(path.join(ROOT, page), 'utf8')).join('\n');
/** Every markdown file whose links are checked: the pages above, and others that link into them. */
const linking = [...pages, 'server/bench/README.md', 'examples/consumer/README.md'];
const scripts = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The README and docs/ are where people start: what they tell them to type, set or open must exist. */
describe('the README and docs/', () => {
  it('names only npm scripts that exist', () => {
    const named = new Set([...docs.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(named.size).toBeGreaterThan(10);
    for (const name of named) expect(scripts, `npm run ${name}`).toContain(name);
  });

  it('documents every configuration key, and names no key the server does not read', () => {
    const table = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
    const documented = new Set([...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((k) => k[1]!)));
    for (const key of ENV_KEYS) expect(documented, key).toContain(key);
    // Anywhere in the README or docs/, an UPPER_CASE word in backticks is a setting, a code the
    // server really returns (an error code, a Twilio-facing value), or a key the test and benchmark
    // tooling reads: it appears in the source.
    const source = serverSource();
    for (const m of docs.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`/g)) {
      const key = m[1]!;
      if (ENV_KEYS.includes(key.replace(/_FILE$/, ''))) continue;
      const named = [`'${key}'`, `"${key}"`, `env.${key}`].some((form) => source.includes(form));
      expect(named, `${key} is neither a setting nor a value in the source`).toBe(true);
    }
  });

  it('points only at files that exist', () => {
    const files = new Set([...docs.matchAll(/`((?:server|web|deploy|prisma|sql|examples|bench)\/[\w./-]+|Dockerfile|docker-compose\.yaml|\.env\.example|schema\.graphql)`/g)].map((m) => m[1]!));
    expect(files.size).toBeGreaterThan(10);
    for (const file of files) {
      // dist/ paths only exist after a build; <placeholders> are patterns.
      if (file.includes('<') || /(^|\/)dist(\/|$)/.test(file)) continue;
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
  });

  it('links only to files and headings that exist', () => {
    const links = linking.flatMap((from) => markdownLinks(readFileSync(path.join(ROOT, from), 'utf8')).map((target) => ({ from, target })));
    expect(links.length).toBeGreaterThan(20);
    for (const { from, target } of links) {
      if (/^(https?:\/\/|mailto:)/i.test(target)) continue;
      const [file, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = file ? path.join(path.dirname(path.join(ROOT, from)), decodeURI(file)) : path.join(ROOT, from);
      const where = `${from}: (${target})`;
      expect(existsSync(resolved), `${where} names a file that does not exist`).toBe(true);
      if (anchor === undefined) continue;
      expect(resolved.endsWith('.md'), `${where} has an anchor into a file that is not markdown`).toBe(true);
      expect(headingAnchors(readFileSync(resolved, 'utf8')), `${where} names no heading there`).toContain(anchor);
    }
  });

  it('makes anchors as GitHub does', () => {
    expect(headingAnchors('# The API\n## Ids and refetching\n```sh\n# not a heading\n```\n## `UserError.code` & more\n## Errors\n## Errors\n')).toEqual([
      'the-api',
      'ids-and-refetching',
      'usererrorcode--more',
      'errors',
      'errors-1',
    ]);
  });
});

/** Markdown text outside fenced code blocks, with inline code kept (it may be a link's text). */
function prose(markdown: string): string[] {
  let fence: string | undefined;
  const lines: string[] = [];
  for (const line of markdown.split('\n')) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opener) fence = opener;
    else if (fence !== undefined && opener?.startsWith(fence)) fence = undefined;
    else if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** The target of every inline link `[text](target)` (and image), outside code. */
function markdownLinks(markdown: string): string[] {
  const text = prose(markdown)
    .join('\n')
    .replace(/(`+)[^`]*?\1/g, 'code');
  return [...text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

/** The anchor each heading gets on GitHub, a repeated one suffixed -1, -2, …, in order. */
function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  return prose(markdown).flatMap((line) => {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) return [];
    const slug = slugify(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return [count ? `${slug}-${count}` : slug];
  });
}

/** GitHub's rule: the heading's text, lower-case, punctuation but `-` and `_` dropped, spaces as `-`. */
function slugify(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link counts by its text
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

function serverSource(): string {
  return readdirSync(path.join(ROOT, 'server'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.m?[jt]s$/.test(f) && !f.includes('generated') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(ROOT, 'server', f), 'utf8'))
    .concat(['vitest.config.ts', 'web/vite.config.ts', '.ci/run'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')))
    .join('\n');
}
