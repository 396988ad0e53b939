// `npm run build`: the production build, made once. The web page (codegen, then Vite), the server
// type-checked, then bundled to JavaScript (no TypeScript loader at run time, see bundle.mjs), and
// the files the compiled server reads beside it, laid out under dist/ as they are in the source
// tree so every relative path holds: dist/server/…, dist/prisma/migrations, dist/web/dist.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleServer } from './bundle.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = path.join(root, 'dist');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
run(bin('graphql-codegen'), ['--config', 'codegen.ts']);
run(bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
run(bin('tsc'), ['-p', 'server/build/tsconfig.json']);
await bundleServer(root, dist);
mkdirSync(path.join(dist, 'prisma'), { recursive: true });
cpSync(path.join(root, 'prisma', 'migrations'), path.join(dist, 'prisma', 'migrations'), { recursive: true });
cpSync(path.join(root, 'web', 'dist'), path.join(dist, 'web', 'dist'), { recursive: true });
mkdirSync(path.join(dist, 'server', 'http'), { recursive: true });
cpSync(path.join(root, 'server', 'http', 'graphiql-start.js'), path.join(dist, 'server', 'http', 'graphiql-start.js'));
writeFileSync(path.join(dist, '.built'), `${new Date().toISOString()}\n`);
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
