import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** What opening and migrating a database write with: a command's quiet logger is enough. */
export type Log = Pick<Logger, 'info' | 'warn'>;

// pino is loaded when a logger is made, not with this file: a command that has nothing to say
// never makes one (createCommandLog).
const load = createRequire(import.meta.url);

/** What is known about the request being served, for every log line written while serving it. */
export interface RequestContext {
  requestId: string;
  /** The GraphQL operation, once known (set by the GraphQL pipeline). */
  operation?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The process's logger; `destination` (tests) replaces stdout. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const { pino } = load('pino') as typeof import('pino');
  const options: LoggerOptions = {
    level,
    // Every line written while a request is served carries its id, whichever module writes it.
    mixin: () => {
      const request = requestContext.getStore();
      return request ? { requestId: request.requestId } : {};
    },
    // Credentials never reach a log line, even inside an object logged whole.
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.cookie', '*.headers.cookie'], censor: '[redacted]' },
    // Readable lines in a terminal; JSON lines when piped (production, log collectors).
    transport: !destination && process.stdout.isTTY ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } : undefined,
  };
  if (destination || options.transport) return destination ? pino(options, destination) : pino(options);
  // Piped, lines go through process.stdout rather than pino's own file-descriptor writer: once the
  // pipe's reader is gone (a dead log collector, `npm start | tee` ended) that writer retries the
  // failed write forever on the main thread, and the process can no longer stop. process.stdout
  // reports EPIPE as an 'error' event, which main.ts drops.
  return pino(options, process.stdout);
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * A command's logger: the process's logger is made at the first line `level` lets through, so a
 * command with nothing to say neither loads pino nor, at a terminal, starts pino-pretty's worker
 * thread, which a command's exit then waits for (about 0.2 s on 2 cores).
 */
export function createCommandLog(level: string): Log {
  let logger: Logger | undefined;
  const method = (name: 'info' | 'warn') =>
    ((...args: unknown[]) => {
      if (LEVELS[name]! < LEVELS[level]!) return;
      logger ??= createLogger(level);
      (logger[name] as (...a: unknown[]) => void)(...args);
    }) as Logger['info'];
  return { info: method('info'), warn: method('warn') };
}
