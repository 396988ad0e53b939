import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret of this installation's own, kept in a file of the data folder that only its owner can
 * read (mode 600), made on first use. Lets another local process (a command) prove it runs as the
 * same user on the same installation.
 */
export function loadLocalSecret(dataDir: string, file: string): string {
  const full = path.join(dataDir, file);
  if (existsSync(full)) return readFileSync(full, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('hex');
  writeFileSync(full, `${secret}\n`, { mode: 0o600 });
  chmodSync(full, 0o600);
  return secret;
}
