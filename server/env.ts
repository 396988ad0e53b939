import { existsSync, readFileSync } from 'node:fs';
import { isTimeZone, parseQuietWindow } from './lib/quiet-window.ts';
import { z } from 'zod';
import { E164, isCountryCode, NUMBER_TYPES } from './lib/phone.ts';
import { isAddressOrRange } from './lib/ip-address.ts';

/** Every kind of line but premium-rate, shared-cost, pager and UAN (which cost the sender, or cannot take SMS). */
export const DEFAULT_NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'VOIP', 'PERSONAL_NUMBER', 'VOICEMAIL'];
import { parseDuration } from './lib/duration.ts';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', 'on', 'off', ''])
    .default(fallback)
    .transform((v) => (v === '' ? fallback === 'true' : v === 'true' || v === '1' || v === 'on'));

/** A comma-separated list; empty entries are dropped. */
const list = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean));

/** A duration such as `7d`, `12h`, `30m` or `10s`, within [min, max] milliseconds. */
const duration = (fallback: string, min: number, max: number, message: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return ms;
    });

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host);

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    // Loopback by default: exposing the server to other machines is an explicit choice.
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    // The Flask service's way to name its database, read when DATABASE_URL is not set.
    POSTGRES_HOST: optionalString,
    POSTGRES_PORT: optionalString.pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number').optional()),
    POSTGRES_USER: optionalString,
    POSTGRES_PASSWORD: optionalString,
    POSTGRES_DB: optionalString,
    HATCH_DATA_DIR: z.string().trim().min(1).default('.data'),
    TWILIO_ACCOUNT_SID: optionalString.pipe(
      z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits').optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_PHONE_NUMBER: optionalString.pipe(
      z.string().regex(E164, 'must be an E.164 number such as +15551234567').optional(),
    ),
    /** The WhatsApp sender's number (Twilio's WhatsApp-enabled number or its sandbox), with or without "whatsapp:". */
    WHATSAPP_FROM: optionalString.pipe(
      z
        .string()
        .transform((v) => v.replace(/^whatsapp:/i, ''))
        .pipe(z.string().regex(E164, 'must be an E.164 number such as +14155238886 (whatsapp: in front is optional)'))
        .optional(),
    ),
    TWILIO_MESSAGING_SERVICE_SID: optionalString.pipe(
      z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits').optional(),
    ),
    /** Another base URL for the Twilio library's requests (a stand-in or staging proxy). */
    TWILIO_API_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    /** Message segments per second the sender may hand to Twilio: 1 is a US long code's limit. */
    TWILIO_MAX_MPS: z.coerce.number().positive().max(1000).default(1),
    /** Attempts at handing an SMS to Twilio before it is marked FAILED. */
    SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    /** The address Twilio reaches this server at; webhooks are signed against it. */
    PUBLIC_URL: optionalString.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://hatch.example.com' })
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    ),
    /** Behind a reverse proxy: take the public scheme and host from X-Forwarded-Proto/Host. */
    TRUST_PROXY: flag('false'),
    HATCH_OPERATOR_NAME: z.string().trim().min(1).max(100).default('Operator'),
    /** Sign-in for everything but /health, /ready and Twilio's signed webhooks. `off` only on loopback. */
    HATCH_AUTH: flag('true'),
    /** How long a signed-in browser stays signed in without being used. */
    HATCH_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    /** sendMessage calls a minute per operator and per API token; 0 turns the limit off. */
    SMS_RATE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(60),
    /** Local times between which no SMS goes out, in the recipient's time zone: `21:00-08:00`; unset for none. */
    SMS_QUIET_HOURS: optionalString.pipe(z.string().refine((v) => parseQuietWindow(v) !== undefined, { error: 'must be two different local times such as 21:00-08:00' }).optional()),
    /** This inbox's time zone (IANA, such as America/New_York): quiet hours for numbers whose region spans several zones; default the server's. */
    HATCH_TIME_ZONE: optionalString.pipe(z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as America/New_York' }).optional()),
    /** The country of phone numbers typed without +country code; default the sending number's country. */
    SMS_DEFAULT_COUNTRY: optionalString.pipe(
      z
        .string()
        .transform((c) => c.toUpperCase())
        .refine(isCountryCode, { error: 'must be an ISO country code such as US or GB' })
        .optional(),
    ),
    /** ISO country codes SMS may go to (`*` for any); default the sending number's country, or US,CA. */
    SMS_ALLOWED_COUNTRIES: list.pipe(
      z.array(
        z
          .string()
          .transform((c) => c.toUpperCase())
          .refine((c) => c === '*' || isCountryCode(c), { error: 'must be ISO country codes such as US,CA,GB, or *' }),
      ),
    ),
    /** Kinds of line SMS may go to (`*` for any): by default none that cost the sender extra. */
    SMS_ALLOWED_NUMBER_TYPES: list
      .pipe(
        z.array(
          z
            .string()
            .transform((t) => t.toUpperCase())
            .refine((t) => t === '*' || (NUMBER_TYPES as readonly string[]).includes(t), { error: `must be number types among ${NUMBER_TYPES.join(', ')}, or *` }),
        ),
      )
      .transform((types) => (types.length ? types : DEFAULT_NUMBER_TYPES)),
    /** Origins of other web pages allowed to call the API from a browser (e.g. https://app.example.com). */
    CORS_ORIGINS: list.pipe(
      z.array(z.url({ protocol: /^https?$/, error: 'must be origins such as https://app.example.com' }).transform((u) => new URL(u).origin)),
    ),
    /** Host names this server answers to besides PUBLIC_URL's, HOST and loopback names. */
    ALLOWED_HOSTS: list,
    /** The Flask service's REST API and event stream under /api, for its old clients. */
    HATCH_LEGACY_API: flag('true'),
    /** Webhooks to plain http:// URLs too (for development; https:// only unless set). */
    WEBHOOK_ALLOW_HTTP: flag('false'),
    /** Addresses or CIDR ranges outside the public internet that webhooks may reach anyway (e.g. 10.0.0.0/8). */
    WEBHOOK_ALLOW_PRIVATE: list.pipe(z.array(z.string().refine(isAddressOrRange, { error: 'must be IP addresses or CIDR ranges such as 10.0.0.5 or 10.0.0.0/8' }))),
    /** Operations one single-connection event stream may run at once. */
    SSE_MAX_SUBSCRIPTIONS_PER_STREAM: z.coerce.number().int().min(1).max(10_000).default(100),
    /** Live connections one operator session or token may hold at once, over every transport together. */
    SSE_MAX_STREAMS_PER_CREDENTIAL: z.coerce.number().int().min(1).max(100_000).default(100),
    /** How long changes stay in the feed for clients that resume by cursor: `7d`, `12h`, `30m`. */
    HATCH_CHANGE_RETENTION: duration('7d', 60_000, Number.MAX_SAFE_INTEGER, 'must be a duration of at least a minute, such as 7d, 12h or 30m'),
    /** How long the audit log keeps an entry: `365d` (a year) unless said. */
    HATCH_AUDIT_RETENTION: duration('365d', 86_400_000, Number.MAX_SAFE_INTEGER, 'must be a duration of at least a day, such as 365d'),
    /** Unsent kilobytes an event stream may hold before its reader counts as too slow and is cut off. */
    SSE_MAX_BUFFER_KB: z.coerce.number().int().min(16).max(1024 * 1024).default(1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The longest a SIGTERM may take before the process exits anyway: `10s`, `1m`. */
    SHUTDOWN_TIMEOUT: duration('10s', 0, Number.MAX_SAFE_INTEGER, 'must be a duration such as 10s or 1m'),
    /** The longest a request body may take to arrive before the request gets 408: `10s`, `1m`. */
    REQUEST_BODY_TIMEOUT: duration('10s', 1000, 600_000, 'must be a duration from 1s to 10m, such as 10s'),
    /** Serve /metrics without sign-in on this port of 127.0.0.1 only (for a scraper on the same host). */
    METRICS_PORT: optionalString.pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number).optional()),
    /**
     * This replica's name, as the reverse proxy knows it (deploy/nginx.conf): single-connection
     * event-stream tokens start with it, so the proxy can send every request of a stream to the
     * replica that holds it.
     */
    HATCH_REPLICA_ID: optionalString.pipe(
      z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, as a host name').optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.HATCH_AUTH && !isLoopbackHost(env.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HATCH_AUTH'],
        message: `off is only allowed when HOST is a loopback address (it is ${env.HOST}): anyone who can reach the port could read and send`,
      });
    }
    if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_PHONE_NUMBER && !env.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_PHONE_NUMBER'],
        message: 'with Twilio credentials, set TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send from',
      });
    }
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID'],
        message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together',
      });
    }
  });

export type Env = z.infer<typeof schema>;

/** Every key the configuration knows (for checks of deployment files that pass keys). */
export const ENV_KEYS: readonly string[] = Object.keys(schema.shape);

/**
 * Keys whose value may come from a file instead: `X_FILE=/run/secrets/x` (Docker and Kubernetes
 * secrets). Any key can; secrets are why.
 */
const FILE_SUFFIX = '_FILE';

function readFileKeys(source: Record<string, string | undefined>, problems: string[]): Record<string, string | undefined> {
  const out = { ...source };
  for (const [name, file] of Object.entries(source)) {
    if (!name.endsWith(FILE_SUFFIX) || !file) continue;
    const key = name.slice(0, -FILE_SUFFIX.length);
    if (!ENV_KEYS.includes(key)) continue;
    if (source[key]) {
      problems.push(`${name}: ${key} is set too; set one of them`);
      continue;
    }
    try {
      out[key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return out;
}

/** DATABASE_URL from the POSTGRES_* keys, when they are what the environment gives. */
function databaseUrlFromParts(env: Env): string | undefined {
  if (env.DATABASE_URL || !env.POSTGRES_HOST) return env.DATABASE_URL;
  const url = new URL('postgres://localhost');
  url.hostname = env.POSTGRES_HOST;
  if (env.POSTGRES_PORT) url.port = String(env.POSTGRES_PORT);
  url.username = env.POSTGRES_USER ?? 'postgres';
  if (env.POSTGRES_PASSWORD) url.password = env.POSTGRES_PASSWORD;
  url.pathname = `/${env.POSTGRES_DB ?? url.username}`;
  return url.toString();
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads `.env` from the working directory into process.env when there is one, as people who copy
 * `.env.example` to `.env` expect. What the process environment already has wins over the file.
 */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/**
 * Parses the whole environment once; every problem is reported, each naming its key. `X_FILE`
 * keys are read first; DATABASE_URL may be given as POSTGRES_HOST/PORT/USER/PASSWORD/DB.
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const problems: string[] = [];
  const result = schema.safeParse(readFileKeys(source, problems));
  if (result.success && problems.length === 0) return { ...result.data, DATABASE_URL: databaseUrlFromParts(result.data) };
  throw new EnvError([
    ...problems,
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`)),
  ]);
}

/** The simulator and Twilio share this default so a fresh install has a sender number to show. */
export const DEFAULT_SENDER_NUMBER = '+15005550006';
