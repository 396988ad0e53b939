// `node --import ./server/testing/trace-modules.mjs …`: every module the process resolves is
// appended to the file named by TRACE_MODULES, one URL a line, so a test can check what a command
// loads. Registered first, it also sees what tsx resolves, since tsx hands resolution on to it.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.TRACE_MODULES, `${result.url}\n`);
  return result;
}

// The hooks run on a thread of their own, which imports this file again.
if (isMainThread) register(import.meta.url);
