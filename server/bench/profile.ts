// `npx tsx server/bench/profile.ts [file.cpuprofile]`: the functions that took the most CPU in a
// profile written by `BENCH_PROFILE=1 npm run bench` or `profile-load.ts` (the newest one by
// default), by self time, grouped by function and file, as a flame graph's widest leaves would show them.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROFILE_DIR } from './processes.ts';
import { summarizeProfile } from './profile-summary.ts';

const file =
  process.argv[2] ??
  readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(PROFILE_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!file) throw new Error(`no profile in ${PROFILE_DIR}: run BENCH_PROFILE=1 npm run bench first`);
console.log(summarizeProfile(file));
