import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const e164 = /^\+\d{10,15}$/;

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
      z.string().regex(e164, 'must be an E.164 number such as +15551234567').optional(),
    ),
    HATCH_OPERATOR_NAME: z.string().trim().min(1).max(100).default('Operator'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
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
