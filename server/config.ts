import { DEFAULT_SENDER_NUMBER, isLoopbackHost, loadDotEnv, parseEnv, type Env } from './env.ts';
import { countryOf, WHATSAPP_PREFIX, type CountryCode, type PhoneNumberType } from './lib/phone.ts';
import { parseQuietWindow } from './lib/quiet-window.ts';
import type { QuietHoursSettings } from './modules/scheduling/quiet-hours.ts';

/** Who a message is from when a request does not say, and how typed numbers are read. */
export interface SenderDefaults {
  /** Default sender of an SMS. */
  smsFrom: string;
  /** The WhatsApp sender ("whatsapp:+E.164"); unset when WhatsApp is not set up. */
  whatsappFrom?: string;
  /** The country of phone numbers typed without +country code. */
  defaultCountry?: CountryCode;
  /** Default sender of a stored-only message, and the stand-in operator's name with sign-in off. */
  operatorName: string;
}

export interface AccessConfig {
  /** Sign-in required (HATCH_AUTH). */
  auth: boolean;
  sessionDays: number;
  publicUrl?: string;
  trustProxy: boolean;
  /** Other web origins allowed to call the API from a browser. */
  corsOrigins: string[];
  /** Host names the server answers to (DNS rebinding protection). */
  allowedHosts: string[];
}

/** Limits on what sending may cost. */
export interface SendLimits {
  /** sendMessage calls a minute per operator or token; 0 for no limit. */
  perMinute: number;
  /** Countries SMS may go to; 'any' for no restriction. */
  countries: 'any' | string[];
  /** Kinds of line SMS may go to (libphonenumber's types); 'any' for no restriction. */
  numberTypes: 'any' | PhoneNumberType[];
  /** SMS_QUIET_HOURS in the recipient's zone (HATCH_TIME_ZONE when the number does not say); unset for none. */
  quietHours?: QuietHoursSettings;
}

/** Bounds on what live connections (event streams, multipart responses, WebSockets) may hold. */
export interface StreamLimits {
  /** Unsent bytes a stream may hold before its reader counts as too slow and is cut off. */
  maxBufferedBytes: number;
  /** Operations one single-connection stream, or one WebSocket, may run at once. */
  maxSubscriptionsPerStream: number;
  /** How long a reserved single-connection stream waits to be opened before it is forgotten. */
  reservationTtlMs: number;
  /** Live connections one credential may hold at once, over every transport together. */
  maxStreamsPerCredential: number;
  /** The old /api/events stream's keepalive period (its clients saw each as a message). */
  legacyKeepaliveMs: number;
  /** How often each WebSocket is pinged; one that has not answered the last ping by the next is cut. */
  wsPingMs: number;
}

/** A Twilio account as the configuration names it (TWILIO_* keys). */
export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** Sends from this number, or through the Messaging Service when `messagingServiceSid` is set. */
  from?: string;
  messagingServiceSid?: string;
  /** Another base URL for the API (a stand-in, a staging proxy). */
  apiUrl?: string;
  /** Message segments per second Twilio accepts from this sender. */
  maxMps: number;
  timeoutMs?: number;
}

/** How text messages leave and come back. */
export interface SmsSettings {
  /** Real SMS through Twilio; simulated when absent. */
  twilio?: TwilioSettings;
  /** The simulator's webhook signing token; read from (or made in) `dataDir` when absent. */
  simulatorToken?: string;
  /** Where the simulator's token is kept, so that `npm run sms:inbound` can sign with it too. */
  dataDir?: string;
  /** Time between a simulated SMS's statuses. */
  simulatorStepMs?: number;
  /** The public base URL providers reach this server at (PUBLIC_URL): webhooks are signed against it. */
  publicUrl?: string;
  /** Take the public scheme and host from X-Forwarded-Proto/Host (TRUST_PROXY). */
  trustProxy: boolean;
  outbox: {
    /** Attempts at handing a message to the provider before it is FAILED. */
    maxAttempts?: number;
    leaseMs?: number;
    backoffMs?: number;
    maxBackoffMs?: number;
    pollMs?: number;
  };
}

/** Where the data is: a Postgres server, or the embedded database in a folder. */
export interface DatabaseSettings {
  url?: string;
  dataDir: string;
}

/** Where and how the process serves (server/main.ts). */
export interface ListenSettings {
  port: number;
  host: string;
  /** Also serve /metrics without sign-in on this port of 127.0.0.1. */
  metricsPort?: number;
  /** The longest a SIGTERM may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** The longest a request body may take to arrive (REQUEST_BODY_TIMEOUT). */
  bodyTimeoutMs: number;
  /** The address people and providers reach the server at, when it is set. */
  publicUrl?: string;
}

/**
 * The address a person types to reach this server: PUBLIC_URL when set, else localhost for a
 * loopback or all-interfaces server, else the address it listens on.
 */
export function siteUrl(listen: Pick<ListenSettings, 'host' | 'publicUrl'>, port: number): string {
  if (listen.publicUrl) return listen.publicUrl.replace(/\/+$/, '');
  const bind = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const local = isLoopbackHost(listen.host) || bind === '0.0.0.0' || bind === '[::]';
  return `http://${local ? 'localhost' : bind}:${port}`;
}

/** Where outbound webhooks may go (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
export interface WebhookNetwork {
  /** Plain http:// too (development). */
  allowHttp: boolean;
  /** Addresses or CIDR ranges outside the public internet that are allowed anyway. */
  allowPrivate: string[];
}

export interface AppConfig {
  listen: ListenSettings;
  logLevel: Env['LOG_LEVEL'];
  /** This replica's name for the reverse proxy (HATCH_REPLICA_ID). */
  replicaId?: string;
  /** Serve the Flask service's REST API under /api (HATCH_LEGACY_API). */
  legacyApi: boolean;
  /** How long the change feed keeps changes for resuming clients, in ms. */
  changeRetentionMs: number;
  /** How long the audit log keeps an entry (HATCH_AUDIT_RETENTION). */
  auditRetentionMs: number;
  senders: SenderDefaults;
  access: AccessConfig;
  limits: SendLimits;
  streams: StreamLimits;
  sms: SmsSettings;
  database: DatabaseSettings;
  /** Where outbound webhooks may go (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
  webhooks: WebhookNetwork;
}

/** Stream bounds that are not settings: a client opens what it reserved within seconds. */
const RESERVATION_TTL_MS = 30_000;
const LEGACY_KEEPALIVE_MS = 30_000;
const WS_PING_MS = 12_000;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * The whole configuration, from the environment (and `.env`), parsed once; every problem is
 * reported at once, each naming its key (EnvError).
 */
export function loadConfig(source?: Record<string, string | undefined>): AppConfig {
  if (!source) loadDotEnv();
  return appConfig(parseEnv(source));
}

/**
 * WhatsApp goes from WHATSAPP_FROM. The simulator speaks WhatsApp from the SMS number when none is
 * set, so it can be tried at once; with a Twilio account it is off until a sender is named (a
 * number needs Meta's approval before it can send on WhatsApp).
 */
function whatsappSender(env: Env, smsFrom: string): string | undefined {
  if (env.WHATSAPP_FROM) return `${WHATSAPP_PREFIX}${env.WHATSAPP_FROM}`;
  return env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? undefined : `${WHATSAPP_PREFIX}${smsFrom}`;
}

/** The application's settings, from the parsed environment: each part's settings with their defaults. */
export function appConfig(env: Env): AppConfig {
  const smsFrom = env.TWILIO_PHONE_NUMBER ?? DEFAULT_SENDER_NUMBER;
  const hosts = new Set([...LOOPBACK_NAMES, ...env.ALLOWED_HOSTS.map((h) => h.toLowerCase())]);
  if (env.PUBLIC_URL) hosts.add(new URL(env.PUBLIC_URL).hostname);
  if (env.HOST !== '0.0.0.0' && env.HOST !== '::') hosts.add(env.HOST.replace(/^\[|\]$/g, '').toLowerCase());
  const home = countryOf(smsFrom);
  return {
    listen: { port: env.PORT, host: env.HOST, metricsPort: env.METRICS_PORT, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT, bodyTimeoutMs: env.REQUEST_BODY_TIMEOUT, publicUrl: env.PUBLIC_URL },
    logLevel: env.LOG_LEVEL,
    replicaId: env.HATCH_REPLICA_ID,
    legacyApi: env.HATCH_LEGACY_API,
    changeRetentionMs: env.HATCH_CHANGE_RETENTION,
    auditRetentionMs: env.HATCH_AUDIT_RETENTION,
    senders: { smsFrom, whatsappFrom: whatsappSender(env, smsFrom), operatorName: env.HATCH_OPERATOR_NAME, defaultCountry: (env.SMS_DEFAULT_COUNTRY as CountryCode | undefined) ?? home },
    access: {
      auth: env.HATCH_AUTH,
      sessionDays: env.HATCH_SESSION_DAYS,
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      corsOrigins: env.CORS_ORIGINS,
      allowedHosts: [...hosts],
    },
    streams: {
      maxSubscriptionsPerStream: env.SSE_MAX_SUBSCRIPTIONS_PER_STREAM,
      maxBufferedBytes: env.SSE_MAX_BUFFER_KB * 1024,
      maxStreamsPerCredential: env.SSE_MAX_STREAMS_PER_CREDENTIAL,
      reservationTtlMs: RESERVATION_TTL_MS,
      legacyKeepaliveMs: LEGACY_KEEPALIVE_MS,
      wsPingMs: WS_PING_MS,
    },
    sms: {
      twilio:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
          ? {
              accountSid: env.TWILIO_ACCOUNT_SID,
              authToken: env.TWILIO_AUTH_TOKEN,
              from: env.TWILIO_PHONE_NUMBER,
              messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
              apiUrl: env.TWILIO_API_URL,
              maxMps: env.TWILIO_MAX_MPS,
            }
          : undefined,
      dataDir: env.HATCH_DATA_DIR,
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      outbox: { maxAttempts: env.SMS_MAX_ATTEMPTS },
    },
    database: { url: env.DATABASE_URL, dataDir: env.HATCH_DATA_DIR },
    webhooks: { allowHttp: env.WEBHOOK_ALLOW_HTTP, allowPrivate: env.WEBHOOK_ALLOW_PRIVATE },
    limits: {
      perMinute: env.SMS_RATE_LIMIT,
      countries: env.SMS_ALLOWED_COUNTRIES.includes('*')
        ? 'any'
        : env.SMS_ALLOWED_COUNTRIES.length
          ? env.SMS_ALLOWED_COUNTRIES
          : env.TWILIO_PHONE_NUMBER && home
            ? [home]
            : ['US', 'CA'],
      numberTypes: env.SMS_ALLOWED_NUMBER_TYPES.includes('*') ? 'any' : (env.SMS_ALLOWED_NUMBER_TYPES as PhoneNumberType[]),
      quietHours: env.SMS_QUIET_HOURS
        ? { window: parseQuietWindow(env.SMS_QUIET_HOURS)!, senderZone: env.HATCH_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone }
        : undefined,
    },
  };
}
