import { z } from 'zod';
import { E164 } from './lib/phone.ts';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    // Loopback by default: Hatch has no sign-in yet, so exposing it is an explicit choice.
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    HATCH_DATA_DIR: z.string().trim().min(1).default('.data'),
    TWILIO_ACCOUNT_SID: optionalString.pipe(
      z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits').optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_PHONE_NUMBER: optionalString.pipe(
      z.string().regex(E164, 'must be an E.164 number such as +15551234567').optional(),
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
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    HATCH_OPERATOR_NAME: z.string().trim().min(1).max(100).default('Operator'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
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

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the whole environment once; every problem is reported, each naming its key. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}

/** The simulator and Twilio share this default so a fresh install has a sender number to show. */
export const DEFAULT_SENDER_NUMBER = '+15005550006';
