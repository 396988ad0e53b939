import path from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The layering docs/architecture.md describes, as rules over the real import graph of server/.
// Type-only imports count: a type is still knowledge of the other side.
const TRANSPORTS = '^server/http/(streaming|sse|multipart|ws|legacy)/';
export const RULES: IForbiddenRuleType[] = [
  {
    name: 'no-cycles',
    comment: 'An import cycle makes load order matter and hides which side owns what.',
    severity: 'error',
    from: { path: '^server/' },
    to: { circular: true },
  },
  {
    name: 'services-without-graphql',
    comment: 'Services (server/modules) know nothing of the GraphQL schema; resolvers call services.',
    severity: 'error',
    from: { path: '^server/modules/' },
    to: { path: '^server/schema/' },
  },
  {
    name: 'services-without-http',
    comment: 'Services know nothing of the transports that call them.',
    severity: 'error',
    from: { path: '^server/modules/' },
    to: { path: '^server/http/' },
  },
  {
    name: 'services-without-graphql-libraries',
    comment: 'A command-line tool that uses a service must not load GraphQL.',
    severity: 'error',
    from: { path: '^server/(modules|db|lib)/' },
    to: { path: '(^|/)node_modules/(graphql|graphql-yoga|@pothos/[^/]+|@graphql-yoga/[^/]+|graphql-ws|graphql-sse)/' },
  },
  {
    name: 'legacy-api-through-public-faces',
    comment: "The old service's API is a thin layer: the streaming core and the services' public faces, no schema, no realtime internals.",
    severity: 'error',
    from: { path: '^server/http/legacy/' },
    to: { path: ['^server/schema/', '^server/modules/realtime/(?!index\\.ts$)'] },
  },
  {
    name: 'transports-reach-access-through-one-seam',
    comment: 'Transports ask who is calling, and learn of revocations, only through server/http/access.ts.',
    severity: 'error',
    from: { path: TRANSPORTS },
    to: { path: '^server/modules/access/' },
  },
  {
    name: 'transports-are-framing',
    comment: 'Each transport frames bytes around the streaming core; none reaches into another transport.',
    severity: 'error',
    from: { path: '^server/http/(sse|multipart|ws|legacy)/' },
    to: { path: '^server/http/(sse|multipart|ws|legacy)/', pathNot: '^server/http/$1/' },
  },
];

/** Every import of a file under server/ that breaks one of `rules`, as "rule: from → to". */
export async function violations(rules: IForbiddenRuleType[] = RULES): Promise<string[]> {
  const previous = process.cwd();
  process.chdir(ROOT);
  try {
    const result = await cruise(
      ['server'],
      {
        validate: true,
        ruleSet: { forbidden: rules },
        exclude: { path: ['^server/generated/', '\\.test\\.ts$', '^server/test/', '^server/testing/', '^server/bench/'] },
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        moduleSystems: ['es6'],
      },
      { extensions: ['.ts', '.mjs', '.js', '.json'] },
    );
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] } };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
  } finally {
    process.chdir(previous);
  }
}

describe('the layering of server/', () => {
  it('has no import that breaks a rule', async () => {
    expect(await violations()).toEqual([]);
  }, 120_000);
});
