import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRetention } from '../modules/audit/audit.service.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

type As = { cookie: string; origin: string };

// Running the team from the page: disabling someone who left, inviting a colleague, and the audit
// log of who did what.
describe.each(testDatabases())('the team, run from the page, on the $name database', ({ name: dbName, open }) => {
  let t: TestApp;
  let ana: As;
  const as = (o: { cookie: string }): As => ({ cookie: o.cookie, origin: t.url });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const signIn = (email: string, password = TEST_PASSWORD) => post('/auth/sign-in', { email, password });
  const idOf = async (who: As) => (await t.gql('{ viewer { operatorId } }', {}, who)).body.data.viewer.operatorId as string;
  const audit = async (first = 100) =>
    (await t.gql(`{ auditLog(first: ${first}) { edges { node { action actorKind actorName targetKind targetName role address } } } }`, {}, ana)).body.data.auditLog.edges.map(
      (e: { node: unknown }) => e.node,
    ) as { action: string; actorKind: string; actorName: string | null; targetKind: string | null; targetName: string | null; role: string | null; address: string | null }[];

  beforeAll(async () => {
    t = await startTestApp(await open());
    ana = as(await t.operator(`ana.team.${dbName}@example.com`, undefined, 'Ana'));
  });
  afterAll(() => t?.close());

  it('disables a colleague who left: sessions, streams and their tokens end at once, their conversations go back to nobody, their name stays', async () => {
    const bob = as(await t.operator(`bob.team.${dbName}@example.com`, undefined, 'Bob'));
    const bobId = await idOf(bob);
    // Bob made a token for a program, wrote in a thread and was given it.
    const made = (await t.gql('mutation { createApiToken(name: "Bob\'s script", scope: SEND) { token } }', {}, bob)).body.data.createApiToken.token as string;
    const program = { authorization: `Bearer ${made}` };
    const sent = (await t.gql('mutation { sendMessage(input: { to: "Disabled colleague", body: "from Bob" }) { message { conversationId } errors { code } } }', {}, bob)).body.data.sendMessage;
    const conversationId = sent.message.conversationId as string;
    await t.gql('mutation($id: ID!, $to: ID) { assignConversation(id: $id, assigneeId: $to) { errors { code } } }', { id: conversationId, to: bobId }, ana);

    const stream = subscribe(sseClient({ url: t.url, headers: bob }, 'distinct'), 'subscription { messageUpdated { messageId } }');
    const programStream = subscribe(sseClient({ url: t.url, headers: program }, 'distinct'), 'subscription { messageUpdated { messageId } }');
    try {
      await new Promise((r) => setTimeout(r, 300));
      const disabled = (await t.gql('mutation($id: ID!) { disableOperator(id: $id) { operator { name disabled } errors { code } } }', { id: bobId }, ana)).body.data.disableOperator;
      expect(disabled).toEqual({ operator: { name: 'Bob', disabled: true }, errors: [] });
      await stream.until(() => false, 3000).catch(() => undefined);
      await programStream.until(() => false, 1000).catch(() => undefined);
      expect(JSON.stringify(stream.errors)).toMatch(/UNAUTHENTICATED/);
      expect(JSON.stringify(programStream.errors)).toMatch(/UNAUTHENTICATED/);
      // Nothing reaches them afterwards.
      const seen = [stream.events.length, programStream.events.length];
      await t.gql('mutation { sendMessage(input: { to: "After disabling", body: "hi" }) { errors { code } } }');
      await new Promise((r) => setTimeout(r, 500));
      expect([stream.events.length, programStream.events.length]).toEqual(seen);
    } finally {
      stream.dispose();
      programStream.dispose();
    }
    expect((await t.gql('{ viewer { name } }', {}, bob)).status).toBe(401);
    expect((await t.gql('{ viewer { name } }', {}, program)).status).toBe(401);

    // Signing in: the right password hears why; a wrong one hears nothing new.
    const refused = await signIn(`bob.team.${dbName}@example.com`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await signIn(`bob.team.${dbName}@example.com`, 'wrong password!')).status).toBe(401);

    // The conversation is nobody's; nothing new can be given to Bob or mention him; his message keeps his name.
    const c = (await t.gql('query($id: ID!) { conversation(id: $id) { assignee { id } messages(last: 5) { edges { node { sentBy { name } } } } } }', { id: conversationId }, ana)).body.data.conversation;
    expect(c.assignee).toBeNull();
    expect(c.messages.edges.map((e: { node: { sentBy: { name: string } | null } }) => e.node.sentBy?.name)).toContain('Bob');
    const assign = await t.gql('mutation($id: ID!, $to: ID) { assignConversation(id: $id, assigneeId: $to) { errors { code } } }', { id: conversationId, to: bobId }, ana);
    expect(assign.body.data.assignConversation.errors).toEqual([{ code: 'INVALID_ASSIGNEE' }]);
    const team = async (all: boolean) => (await t.gql(`{ operators(includeDisabled: ${all}) { name disabled } }`, {}, ana)).body.data.operators as { name: string; disabled: boolean }[];
    expect((await team(false)).map((o) => o.name)).not.toContain('Bob');
    expect(await team(true)).toContainEqual({ name: 'Bob', disabled: true });

    // Enabled again: Bob signs in; what ended stays ended.
    const enabled = (await t.gql('mutation($id: ID!) { enableOperator(id: $id) { operator { disabled } errors { code } } }', { id: bobId }, ana)).body.data.enableOperator;
    expect(enabled).toEqual({ operator: { disabled: false }, errors: [] });
    expect((await signIn(`bob.team.${dbName}@example.com`)).status).toBe(200);
    expect((await t.gql('{ viewer { name } }', {}, bob)).status).toBe(401);
    expect((await t.gql('{ viewer { name } }', {}, program)).status).toBe(401);
  });

  it('refuses what would lock the team out, bad ids, agents and programs', async () => {
    const anaId = await idOf(ana);
    const disable = (id: string, who: Record<string, string> = ana) => t.gql('mutation($id: ID!) { disableOperator(id: $id) { operator { id } errors { code } } }', { id }, who);
    expect((await disable(anaId)).body.data.disableOperator.errors).toEqual([{ code: 'CANNOT_DISABLE_SELF' }]);
    expect((await disable('nope')).body.data.disableOperator.errors).toEqual([{ code: 'INVALID_ID' }]);
    expect((await disable('00000000-0000-4000-8000-000000000000')).body.data.disableOperator.errors).toEqual([{ code: 'NOT_FOUND' }]);
    const agent = as(await t.operator(`agent.team.${dbName}@example.com`, undefined, 'Agent', 'AGENT'));
    expect((await disable(anaId, agent)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await disable(anaId, t.headers)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    for (const q of ['{ auditLog(first: 1) { edges { cursor } } }', '{ invitations { id } }', 'mutation { createInvitation { path } }']) {
      expect((await t.gql(q, {}, agent)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(q)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    // A disabled admin is no admin: the last working one cannot step down.
    const cleo = as(await t.operator(`cleo.team.${dbName}@example.com`, undefined, 'Cleo'));
    const cleoId = await idOf(cleo);
    expect((await disable(cleoId)).body.data.disableOperator.errors).toEqual([]);
    const others = (await t.gql('{ operators { id role } }', {}, ana)).body.data.operators as { id: string; role: string }[];
    for (const o of others) {
      if (o.id !== anaId && o.role === 'ADMIN') await t.gql('mutation($id: ID!) { setOperatorRole(id: $id, role: AGENT) { errors { code } } }', { id: o.id }, ana);
    }
    const stepDown = await t.gql('mutation($id: ID!) { setOperatorRole(id: $id, role: AGENT) { errors { code } } }', { id: anaId }, ana);
    expect(stepDown.body.data.setOperatorRole.errors).toEqual([{ code: 'LAST_ADMIN' }]);
  });

  it('invites a colleague with a one-time link that expires, can be revoked, and keeps working while the form has mistakes', async () => {
    const invite = async (vars: Record<string, unknown>) =>
      (await t.gql('mutation($role: OperatorRole!, $email: String) { createInvitation(role: $role, email: $email) { path invitation { id role email expiresAt createdBy } errors { code } } }', vars, ana)).body.data
        .createInvitation;
    const made = await invite({ role: 'AGENT' });
    expect(made.errors).toEqual([]);
    expect(made.path).toMatch(/^\/join#[A-Za-z0-9_-]{43}$/);
    expect(made.invitation).toMatchObject({ role: 'AGENT', email: null, createdBy: 'Ana' });
    const days = (Date.parse(made.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const token = made.path.slice('/join#'.length);
    const pending = async () => ((await t.gql('{ invitations { id } }', {}, ana)).body.data.invitations as { id: string }[]).map((i) => i.id);
    expect(await pending()).toContain(made.invitation.id);

    // Mistakes keep the link working.
    const weak = await post('/auth/join', { token, email: `dana.${dbName}@example.com`, name: 'Dana', password: 'short' });
    expect(weak.status).toBe(400);
    expect((await weak.json()).errors[0].code).toBe('WEAK_PASSWORD');
    const joined = await post('/auth/join', { token, email: `dana.${dbName}@example.com`, name: 'Dana', password: TEST_PASSWORD });
    expect(joined.status).toBe(200);
    expect(await joined.json()).toMatchObject({ name: 'Dana', role: 'AGENT' });
    const dana = { cookie: joined.headers.get('set-cookie')!.split(';')[0]!, origin: t.url };
    expect((await t.gql('{ viewer { name role } }', {}, dana)).body.data.viewer).toEqual({ name: 'Dana', role: 'AGENT' });
    // Once only.
    const again = await post('/auth/join', { token, email: `eve.${dbName}@example.com`, name: 'Eve', password: TEST_PASSWORD });
    expect(again.status).toBe(410);
    expect((await again.json()).errors[0].code).toBe('INVITATION_INVALID');
    expect(await pending()).not.toContain(made.invitation.id);

    // For one email only, when it names one.
    const named = await invite({ role: 'ADMIN', email: ` Finn.${dbName}@Example.com ` });
    expect(named.invitation).toMatchObject({ role: 'ADMIN', email: `finn.${dbName}@example.com` });
    const namedToken = named.path.slice('/join#'.length);
    const wrong = await post('/auth/join', { token: namedToken, email: `gus.${dbName}@example.com`, name: 'Gus', password: TEST_PASSWORD });
    expect((await wrong.json()).errors[0].code).toBe('INVITATION_EMAIL_MISMATCH');
    expect((await post('/auth/join', { token: namedToken, email: `finn.${dbName}@example.com`, name: 'Finn', password: TEST_PASSWORD })).status).toBe(200);
    expect((await invite({ role: 'AGENT', email: 'not an email' })).errors).toEqual([{ code: 'INVALID_EMAIL' }]);

    // Revoked, and expired: the link no longer works.
    const revokedOne = await invite({ role: 'AGENT' });
    const revoke = await t.gql('mutation($id: ID!) { revokeInvitation(id: $id) { invitation { id } errors { code } } }', { id: revokedOne.invitation.id }, ana);
    expect(revoke.body.data.revokeInvitation.errors).toEqual([]);
    const again2 = await t.gql('mutation($id: ID!) { revokeInvitation(id: $id) { invitation { id } errors { code } } }', { id: revokedOne.invitation.id }, ana);
    expect(again2.body.data.revokeInvitation.errors).toEqual([{ code: 'NOT_FOUND' }]);
    expect((await post('/auth/join', { token: revokedOne.path.slice(6), email: `h.${dbName}@example.com`, name: 'H', password: TEST_PASSWORD })).status).toBe(410);
    const expired = await invite({ role: 'AGENT' });
    await t.db.query(`UPDATE "invitations" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`, [expired.invitation.id]);
    expect((await post('/auth/join', { token: expired.path.slice(6), email: `i.${dbName}@example.com`, name: 'I', password: TEST_PASSWORD })).status).toBe(410);
    expect((await post('/auth/join', { token: 'made-up', email: `j.${dbName}@example.com`, name: 'J', password: TEST_PASSWORD })).status).toBe(410);
    expect((await post('/auth/join', { nonsense: true })).status).toBe(400);
    // Nobody was made by the links that did not work.
    const [{ n }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "operators" WHERE "email" LIKE $1`, [`%.${dbName}@example.com`])) as [{ n: number }];
    const names = ((await t.gql('{ operators(includeDisabled: true) { name } }', {}, ana)).body.data.operators as { name: string }[]).map((o) => o.name);
    expect(names).not.toContain('Eve');
    expect(names).not.toContain('Gus');
    expect(names).not.toContain('H');
    expect(n).toBeGreaterThan(0);
  });

  it('keeps an append-only audit log of who did what, from where, never the content, paged for admins', async () => {
    const before = (await audit()).length;
    const email = `zed.audit.${dbName}@example.com`;
    await signIn(email, 'not the password');
    const zed = as(await t.operator(email, undefined, 'Zed'));
    const zedId = await idOf(zed);
    await t.gql('mutation($id: ID!) { setOperatorRole(id: $id, role: AGENT) { errors { code } } }', { id: zedId }, ana);
    const made = (await t.gql('mutation { createApiToken(name: "audited", scope: READ) { apiToken { id } } }', {}, ana)).body.data.createApiToken.apiToken.id;
    await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }', { id: made }, ana);
    await t.gql('mutation { sendMessage(input: { to: "Audit content", body: "the secret body 4711" }) { errors { code } } }', {}, zed);
    await t.gql('mutation($id: ID!) { disableOperator(id: $id) { errors { code } } }', { id: zedId }, ana);
    await t.gql('mutation($id: ID!) { enableOperator(id: $id) { errors { code } } }', { id: zedId }, ana);

    const entries = (await audit()).slice(0, (await audit()).length - before).reverse();
    const seen = entries.map((e) => `${e.action} ${e.actorName ?? e.actorKind} → ${e.targetName ?? ''}${e.role ? ` (${e.role})` : ''}`);
    expect(seen).toEqual([
      `SIGN_IN_FAILED NOBODY → ${email}`,
      'SIGN_IN Zed → ',
      'ROLE_CHANGED Ana → Zed (AGENT)',
      'TOKEN_CREATED Ana → audited',
      'TOKEN_REVOKED Ana → audited',
      'OPERATOR_DISABLED Ana → Zed',
      'OPERATOR_ENABLED Ana → Zed',
    ]);
    expect(entries[0]!.address).toBe('127.0.0.1');
    expect(entries[1]!.address).toBe('127.0.0.1');
    // No content anywhere in it.
    const raw = await t.db.query(`SELECT * FROM "audit_events"`);
    expect(JSON.stringify(raw)).not.toContain('4711');
    expect(JSON.stringify(raw)).not.toContain(TEST_PASSWORD);

    // Paged, newest first.
    const page = async (after?: string) =>
      (await t.gql('query($after: String) { auditLog(first: 2, after: $after) { edges { cursor node { action } } pageInfo { hasNextPage endCursor } } }', { after }, ana)).body.data.auditLog;
    const first = await page();
    expect(first.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual(['OPERATOR_ENABLED', 'OPERATOR_DISABLED']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual(['TOKEN_REVOKED', 'TOKEN_CREATED']);

    // Append-only in the database itself, not only in the API.
    for (const sql of [`UPDATE "audit_events" SET "actor_name" = 'someone else'`, `DELETE FROM "audit_events"`, `TRUNCATE "audit_events"`]) {
      await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
    }
    expect((await audit()).length).toBe(before + 7);
  });

  it('forgets entries older than HATCH_AUDIT_RETENTION, and nothing newer', async () => {
    await t.db.query(`INSERT INTO "audit_events" ("at", "action", "actor_kind") VALUES (now() - interval '400 days', 'SIGN_IN', 'NOBODY'), (now() - interval '300 days', 'SIGN_IN', 'NOBODY')`);
    const count = async () => (await t.db.query<{ old: number; all: number }>(`SELECT count(*) FILTER (WHERE "at" < now() - interval '1 day')::int AS old, count(*)::int AS all FROM "audit_events"`))[0]!;
    const was = await count();
    const pruned = await new AuditRetention(t.db, 365 * 86_400_000, silentLog).prune();
    expect(pruned).toBe(1);
    expect(await count()).toEqual({ old: was.old - 1, all: was.all - 1 });
  });

  it.runIf(dbName === 'postgres')('lets one person join with one link when two try at once, and lets only one of two admins disable the other', async () => {
    const made = (await t.gql('mutation { createInvitation { path } }', {}, ana)).body.data.createInvitation;
    const token = made.path.slice(6);
    const tries = await Promise.all(['k', 'l', 'm', 'n'].map((x) => post('/auth/join', { token, email: `${x}.race@example.com`, name: x.toUpperCase(), password: TEST_PASSWORD })));
    expect(tries.map((r) => r.status).sort()).toEqual([200, 410, 410, 410]);

    const one = as(await t.operator('one.race@example.com', undefined, 'One'));
    const two = as(await t.operator('two.race@example.com', undefined, 'Two'));
    const [oneId, twoId] = [await idOf(one), await idOf(two)];
    // Everyone else is an agent or disabled: One and Two are the only working admins.
    const everyone = (await t.gql('{ operators { id role } }', {}, ana)).body.data.operators as { id: string; role: string }[];
    for (const o of everyone) {
      if (o.id !== oneId && o.id !== twoId && o.role === 'ADMIN' && o.id !== (await idOf(ana))) {
        await t.gql('mutation($id: ID!) { setOperatorRole(id: $id, role: AGENT) { errors { code } } }', { id: o.id }, one);
      }
    }
    await t.gql('mutation($id: ID!) { setOperatorRole(id: $id, role: AGENT) { errors { code } } }', { id: await idOf(ana) }, one);
    const disable = (id: string, who: As) => t.gql('mutation($id: ID!) { disableOperator(id: $id) { errors { code } } }', { id }, who);
    const [a, b] = await Promise.all([disable(twoId, one), disable(oneId, two)]);
    const outcomes = [a, b].map((r) => (r.status === 401 ? 'signed out' : (r.body.data?.disableOperator.errors[0]?.code ?? 'ok'))).sort();
    // One wins; the other is refused (the last admin) or was already signed out by the winner.
    expect(outcomes[0]).not.toBe(outcomes[1]);
    expect(outcomes).toContain('ok');
    const [{ n }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "operators" WHERE "role" = 'ADMIN' AND "disabled_at" IS NULL`)) as [{ n: number }];
    expect(n).toBe(1);
  });
});
