import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './test-app.ts';

/** Twilio's OpenAPI description: TWILIO_OPENAPI_SPEC, or the shared copy beside the checkout. */
export function twilioOpenApiSpec(): string | undefined {
  const candidates = [
    process.env.TWILIO_OPENAPI_SPEC,
    fileURLToPath(new URL('../../../shared/contracts/twilio_api_v2010.json', import.meta.url)),
  ].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

export interface Prism {
  url: string;
  close(): Promise<void>;
}

/**
 * Prism in mock mode with --errors: answers from the spec's examples and rejects, with 422, any
 * request that breaks the contract.
 */
export async function startPrism(spec: string): Promise<Prism> {
  const port = await freePort();
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
  const child: ChildProcess = spawn(process.execPath, [bin, 'mock', '-h', '127.0.0.1', '-p', String(port), '--errors', spec], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}):\n${output.slice(-2000)}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
