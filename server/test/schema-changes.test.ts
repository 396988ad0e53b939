import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { breakingChanges, explain, RELEASED_SCHEMA_FILE, unrecordedBreakingChanges } from '../schema/breaking-changes.ts';
import { printSchemaFile, SCHEMA_FILE } from '../schema/print-schema.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A field of the released schema, with its description, to take out.
const PARTICIPANTS = /^\s+"""The two participants, in a stable order\."""\n\s+participants: \[String!\]!\n/m;
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

// The API's change policy, checked on every run (CI included): GraphQL Inspector compares the
// schema the code builds with the committed schema.graphql and with the released schema, and a
// breaking change fails unless CHANGELOG.md records it under an "API" heading.
describe('breaking changes to the GraphQL API', () => {
  it('the schema the code builds breaks nothing in the committed schema.graphql', async () => {
    const changes = await breakingChanges(readFileSync(SCHEMA_FILE, 'utf8'), printSchemaFile());
    expect(changes, explain(changes, 'schema.graphql')).toEqual([]);
  });

  it('the schema the code builds breaks nothing since the released schema that CHANGELOG.md does not record', async () => {
    const unrecorded = await unrecordedBreakingChanges(read(RELEASED_SCHEMA_FILE), printSchemaFile(), read('CHANGELOG.md'));
    expect(unrecorded, explain(unrecorded, RELEASED_SCHEMA_FILE)).toEqual([]);
  });

  it('fails on a removed field in a throwaway copy, and passes once the changelog records it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hatch-schema-'));
    try {
      mkdirSync(path.join(dir, path.dirname(RELEASED_SCHEMA_FILE)), { recursive: true });
      cpSync(path.join(ROOT, RELEASED_SCHEMA_FILE), path.join(dir, RELEASED_SCHEMA_FILE));
      // The released schema with a field taken out and an argument made required.
      const schema = read(RELEASED_SCHEMA_FILE)
        .replace(PARTICIPANTS, '')
        .replace('smsSegments(body: String!)', 'smsSegments(body: String!, country: String!)');
      expect(schema).not.toBe(read(RELEASED_SCHEMA_FILE));
      writeFileSync(path.join(dir, 'schema.graphql'), schema);
      writeFileSync(path.join(dir, 'CHANGELOG.md'), read('CHANGELOG.md'));
      const check = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/schema/check-breaking.ts', dir], { cwd: ROOT });

      const failed = await check().then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain('`Conversation.participants`');
      expect(failed?.stderr).toContain('`Query.smsSegments.country`');

      // Recording only one of them is not enough; recording both is.
      const changelog = read('CHANGELOG.md').replace('### API\n', '### API\n\n- `Conversation.participants` is removed.\n');
      writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog);
      const stillFailing = await check().then(() => undefined, (err: { stderr: string }) => err.stderr);
      expect(stillFailing).toContain('`Query.smsSegments.country`');
      expect(stillFailing).not.toContain('`Conversation.participants`');
      writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog.replace('is removed.\n', 'is removed.\n- `Query.smsSegments.country` is required.\n'));
      expect((await check()).stdout).toMatch(/breaks nothing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('does not count a change recorded under the released version or outside an API heading', async () => {
    const released = read(RELEASED_SCHEMA_FILE);
    const removed = released.replace(PARTICIPANTS, '');
    const changelog = read('CHANGELOG.md')
      .replace('### Added\n', '### Added\n\n- `Conversation.participants` is gone.\n')
      .replace(/## 0\.1\.0\n/, '## 0.1.0\n\n### API\n\n- `Conversation.participants`\n');
    expect((await unrecordedBreakingChanges(released, removed, changelog)).map((c) => c.path)).toEqual(['Conversation.participants']);
  });
});
