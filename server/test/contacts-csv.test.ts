import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContactsCsv } from '../modules/contacts/contacts-csv.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const N = 10_000;
const NAMES = ['Zoë "Z" Ørsted, Jr.', '山田 太郎', 'محمد الأحمد', 'O\'Brien; Pat', 'Ana\tLuísa', 'Ελένη', '  padded  ', 'Émile 👋'];

/** The i-th number, written the way people write them, and as it is stored. */
function number(i: number): { typed: string; e164: string } {
  const digits = String(2_000_000 + i); // 555-200-0000 onwards
  const e164 = `+1555${digits}`;
  const [a, b] = [digits.slice(0, 3), digits.slice(3)];
  const typed = [`+1 555-${a}-${b}`, `(555) ${a}-${b}`, `555.${a}.${b}`, `555${digits}`, `tel:+1555${digits}`][i % 5]!;
  return { typed, e164 };
}

/** 10,000 contacts in every spelling, and the rows no import should take. */
function bigCsv(): { csv: string; expected: Map<string, { name: string | null; notes: string | null }>; bad: number[] } {
  const rows: string[][] = [];
  const expected = new Map<string, { name: string | null; notes: string | null }>();
  for (let i = 0; i < N; i++) {
    const { typed, e164 } = number(i);
    const name = i % 97 === 0 ? '' : `${NAMES[i % NAMES.length]} ${i}`;
    const notes = i % 10 === 0 ? `Line one, with a comma\nline "two" ${i}` : '';
    rows.push([typed, name, notes]);
    // A number with neither name nor notes makes no contact: nothing is known of them.
    if (name.trim() || notes.trim()) expected.set(e164, { name: name.trim() || null, notes: notes.trim() || null });
  }
  // Lines 2.. are the rows above; the odd ones follow.
  const bad = [
    ['555-12', 'Not a number', ''],
    ['', 'No number at all', ''],
    ['+1 555 200 0001', 'Second row for a number', ''], // overrides line 3
    ['+15559999999', 'x'.repeat(101), ''],
  ];
  rows.push(...bad);
  expected.set('+15552000001', { name: 'Second row for a number', notes: null });
  const csv = stringify(rows, { header: true, columns: ['Phone', 'Name', 'Notes'] });
  return { csv, expected, bad: [N + 2, N + 3, N + 5, 3] };
}

describe('reading contacts from CSV', () => {
  it('reports each row it cannot use by line, and takes the rest', () => {
    const csv = 'number,name\n+15551230001,Ana\n555-12,Bad\n,Nobody\n(555) 123-0002,"Smith, Jo"\n';
    const read = parseContactsCsv(csv, 'US');
    expect(read).toEqual({
      rows: [
        { line: 2, address: '+15551230001', name: 'Ana', notes: null },
        { line: 5, address: '+15551230002', name: 'Smith, Jo', notes: null },
      ],
      problems: [
        { line: 3, message: '“555-12” is not a phone number.' },
        { line: 4, message: 'No number.' },
      ],
    });
    expect(parseContactsCsv('', 'US')).toMatchObject({ error: expect.stringContaining('empty') });
    expect(parseContactsCsv('name,notes\nAna,x\n', 'US')).toMatchObject({ error: expect.stringContaining('number column') });
    expect(parseContactsCsv('number,name\n"unclosed,Ana\n', 'US')).toMatchObject({ error: expect.stringContaining('not CSV') });
    // A byte-order mark (a spreadsheet's "CSV UTF-8") is no part of the header.
    expect(parseContactsCsv('\uFEFFnumber\n+15551230001\n', 'US')).toMatchObject({ rows: [{ address: '+15551230001' }] });
  });
});

describe.each(testDatabases())('contacts in and out as CSV on the $name database', ({ open }) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(await open());
    const ana = await t.operator('ana.csv@example.com', undefined, 'Ana');
    admin = { cookie: ana.cookie, origin: t.url };
  });
  afterAll(() => t?.close());

  const IMPORT = 'mutation($csv: String!) { importContacts(csv: $csv) { created updated unchanged problems { line message } errors { code message } } }';
  const importCsv = async (csv: string) => (await t.gql(IMPORT, { csv }, admin)).body.data.importContacts;
  const exportCsv = async () => (await t.gql('mutation { exportContacts { csv count } }', {}, admin)).body.data.exportContacts;

  it('round-trips 10,000 contacts with odd rows, and importing again changes nothing', async () => {
    const { csv, expected, bad } = bigCsv();
    expect(Buffer.byteLength(csv)).toBeLessThan(1024 * 1024);
    const first = await importCsv(csv);
    expect(first.errors).toEqual([]);
    expect(first.created).toBe(expected.size);
    expect(first.updated).toBe(0);
    expect(first.unchanged).toBe(N - expected.size); // the numbers with nothing to say
    expect(expected.size).toBeGreaterThan(9800);
    expect(first.problems.map((p: { line: number }) => p.line).sort((a: number, b: number) => a - b)).toEqual(bad.sort((a, b) => a - b));

    const out = await exportCsv();
    expect(out.count).toBeGreaterThanOrEqual(expected.size);
    const back = parse(out.csv, { columns: true }) as { number: string; name: string; notes: string }[];
    const mine = new Map(back.filter((r) => expected.has(r.number)).map((r) => [r.number, { name: r.name || null, notes: r.notes || null }]));
    expect(mine.size).toBe(expected.size);
    for (const [address, want] of expected) expect(mine.get(address), address).toEqual(want);

    const again = await importCsv(out.csv);
    expect(again).toMatchObject({ created: 0, updated: 0, problems: [] });
    expect(again.unchanged).toBe(out.count);
    const original = await importCsv(csv);
    expect(original).toMatchObject({ created: 0, updated: 0, unchanged: N });
    // Everyone the inbox talks to is exported, named or not: a number only in a conversation too.

    // Names show at once: the conversation with a renamed number is told.
    const changed = await importCsv('number,name\n+15552000002,Renamed by import\n');
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const listed = (await t.gql('{ contacts(search: "renamed by", first: 5) { edges { node { address name } } } }')).body.data.contacts.edges;
    expect(listed).toEqual([{ node: { address: '+15552000002', name: 'Renamed by import' } }]);

    const log = (await t.gql('{ auditLog(first: 10) { edges { node { action actorName targetName } } } }', {}, admin)).body.data.auditLog.edges.map(
      (e: { node: { action: string } }) => e.node.action,
    );
    expect(log).toContain('CONTACTS_EXPORTED');
    expect(log).toContain('CONTACTS_IMPORTED');
  });

  it('pages through the contacts by name, and finds them by a part of the name or number', async () => {
    const page = async (after?: string, search = '') =>
      (await t.gql('query($after: String, $search: String) { contacts(first: 40, after: $after, search: $search) { edges { cursor node { address } } pageInfo { hasNextPage endCursor } } }', { after, search })).body.data.contacts;
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const p = await page(cursor);
      for (const e of p.edges) seen.add(e.node.address);
      cursor = p.pageInfo.endCursor;
    }
    expect(seen.size).toBe(200); // five pages, nothing twice
    expect((await page(undefined, '山田')).edges.length).toBe(40);
    expect((await page(undefined, '(555) 200-9999')).edges.map((e: { node: { address: string } }) => e.node.address)).toContain('+15552009999');
    expect((await t.gql('{ contacts(after: "nonsense") { edges { cursor } } }')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses agents and programs, and a file it cannot read, writing nothing', async () => {
    const agent = await t.operator('agent.csv@example.com', undefined, 'Agent', 'AGENT');
    const as = { cookie: agent.cookie, origin: t.url };
    expect((await t.gql(IMPORT, { csv: 'number\n+15553330001\n' }, as)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('mutation { exportContacts { count } }', {}, as)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('mutation { exportContacts { count } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await importCsv('name\nAna\n')).errors).toEqual([expect.objectContaining({ code: 'INVALID_CSV' })]);
    const [{ n }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE address = '+15553330001'`)) as [{ n: number }];
    expect(n).toBe(0);
  });
});
