// The operator and API token commands:
//   npm run operator:create -- --email EMAIL [--name NAME] [--role agent|admin]   (password from stdin)
//   npm run token:create -- --name NAME [--scope read|send]  (prints the token alone on its last line)
//   npm run token:list
//   npm run token:revoke -- --name NAME
// They work whether the server runs or not, on either database. The embedded database can be
// opened by one process at a time, so while a server holds it they ask that server to do it.
// This file loads only what every path needs: the database's code is loaded by the path that
// opens it (./direct.ts), never by one that goes through the server.
import { parseArgs } from 'node:util';
import { loadConfig, siteUrl, type AppConfig } from '../config.ts';
import { runningServer } from '../db/index.ts';
import { EnvError } from '../env.ts';
import { loadLocalSecret } from '../lib/local-secret.ts';
import type { AdminCommand, AdminResult } from '../modules/access/admin-commands.ts';
import { LOCAL_ADMIN_HEADER, LOCAL_ADMIN_PATH, LOCAL_ADMIN_SECRET_FILE } from '../modules/access/local-admin.ts';
import { readPassword } from './password-prompt.ts';

const USAGE: Record<string, string> = {
  'operator:create': 'npm run operator:create -- --email EMAIL [--name NAME] [--role agent|admin]   (the password is read from stdin)',
  'token:create': 'npm run token:create -- --name NAME [--scope read|send]',
  'token:list': 'npm run token:list',
  'token:revoke': 'npm run token:revoke -- --name NAME',
};

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || !USAGE[command]) {
    console.error(`usage:\n${Object.values(USAGE).map((u) => `  ${u}`).join('\n')}`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string', default: 'read' }, role: { type: 'string', default: 'agent' } },
  });
  const usage = () => (console.error(`usage: ${USAGE[command]}`), 2);
  let cmd: AdminCommand;
  switch (command) {
    case 'operator:create':
      if (!values.email || (values.role !== 'agent' && values.role !== 'admin')) return usage();
      cmd = { command, email: values.email, name: values.name, role: values.role === 'admin' ? 'ADMIN' : 'AGENT', password: await readPassword() };
      break;
    case 'token:create':
      if (!values.name || (values.scope !== 'read' && values.scope !== 'send')) return usage();
      cmd = { command, name: values.name, scope: values.scope };
      break;
    case 'token:revoke':
      if (!values.name) return usage();
      cmd = { command, name: values.name };
      break;
    default:
      cmd = { command: 'token:list' };
  }
  const config = loadConfig();
  return report(cmd, await run(config, cmd), siteUrl(config.listen, config.listen.port));
}

/** Through the running server when it holds the embedded database; on the database otherwise. */
async function run(config: AppConfig, cmd: AdminCommand): Promise<AdminResult> {
  const holder = runningServer(config.database);
  if (!holder?.url) return (await import('./direct.ts')).runOnDatabase(config, cmd);
  const res = await fetch(`${holder.url}${LOCAL_ADMIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [LOCAL_ADMIN_HEADER]: loadLocalSecret(config.database.dataDir, LOCAL_ADMIN_SECRET_FILE) },
    body: JSON.stringify(cmd),
  });
  if (!res.ok) throw new Error(`the running server (${holder.url}) refused the command: ${res.status} ${await res.text()}`);
  return (await res.json()) as AdminResult;
}

function report(cmd: AdminCommand, result: AdminResult, site: string): number {
  if (!result.ok) {
    for (const e of result.errors) console.error(`${e.field ? `${e.field}: ` : ''}${e.message} (${e.code})`);
    return 1;
  }
  switch (cmd.command) {
    case 'operator:create':
      console.log(`Created ${result.operator!.role === 'ADMIN' ? 'admin' : 'agent'} ${result.operator!.name} <${result.operator!.email}>. They can sign in at ${site}/sign-in`);
      break;
    case 'token:create':
      console.error(`Created API token "${cmd.name}" (scope ${cmd.scope}). It is shown once; keep it somewhere safe:`);
      console.log(result.token);
      break;
    case 'token:list':
      if (!result.tokens!.length) console.log('No API tokens yet. Make one with: npm run token:create -- --name NAME');
      for (const t of result.tokens!) {
        const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString()}` : 'working';
        const used = t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toISOString()}` : 'never used';
        console.log(`${t.name}\t${t.scope}\t${state}\t${used}\tcreated ${new Date(t.createdAt).toISOString()}${t.createdBy ? ` by ${t.createdBy}` : ''}`);
      }
      break;
    case 'token:revoke':
      console.log(`Revoked API token "${result.revoked!.name}"; it stopped working everywhere at once.`);
      break;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof EnvError ? err.message : (err as Error).message);
    process.exit(1);
  },
);
