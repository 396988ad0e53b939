// `npm start`: builds dist/ when it is missing or stale, then runs the compiled server in this same
// process. As a `prestart` hook the check cost a Node process and a shell of its own before the
// server's own process started (about 150 ms of the time to the first answer).
import { ensureBuilt } from './ensure-built.mjs';

await ensureBuilt();
await import('../../dist/server/main.js');
