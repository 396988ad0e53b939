import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** What is known about the request being served, for every log line written while serving it. */
export interface RequestContext {
  requestId: string;
  /** The GraphQL operation, once known (set by the GraphQL pipeline). */
  operation?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The process's logger; `destination` (tests) replaces stdout. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: pino.LoggerOptions = {
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
