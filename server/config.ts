import type { Env } from './env.ts';
import { DEFAULT_SENDER_NUMBER } from './env.ts';
import { countryOf, type CountryCode } from './lib/phone.ts';

/** Who a message is from when a request does not say, and how typed numbers are read. */
export interface SenderDefaults {
  /** Default sender of an SMS. */
  smsFrom: string;
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
}

/** Bounds on what one client's event streams may hold. */
export interface StreamConfig {
  maxSubscriptionsPerStream: number;
  maxBufferedBytes: number;
  maxStreamsPerCredential: number;
}

export interface AppConfig {
  /** This replica's name for the reverse proxy (HATCH_REPLICA_ID). */
  replicaId?: string;
  /** Serve the Flask service's REST API under /api (HATCH_LEGACY_API). */
  legacyApi: boolean;
  /** How long the change feed keeps changes for resuming clients, in ms. */
  changeRetentionMs: number;
  senders: SenderDefaults;
  access: AccessConfig;
  limits: SendLimits;
  streams: StreamConfig;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The application's settings, from the parsed environment. */
export function appConfig(env: Env): AppConfig {
  const smsFrom = env.TWILIO_PHONE_NUMBER ?? DEFAULT_SENDER_NUMBER;
  const hosts = new Set([...LOOPBACK_NAMES, ...env.ALLOWED_HOSTS.map((h) => h.toLowerCase())]);
  if (env.PUBLIC_URL) hosts.add(new URL(env.PUBLIC_URL).hostname);
  if (env.HOST !== '0.0.0.0' && env.HOST !== '::') hosts.add(env.HOST.replace(/^\[|\]$/g, '').toLowerCase());
  const home = countryOf(smsFrom);
  return {
    replicaId: env.HATCH_REPLICA_ID,
    legacyApi: env.HATCH_LEGACY_API,
    changeRetentionMs: env.HATCH_CHANGE_RETENTION,
    senders: { smsFrom, operatorName: env.HATCH_OPERATOR_NAME, defaultCountry: (env.SMS_DEFAULT_COUNTRY as CountryCode | undefined) ?? home },
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
    },
    limits: {
      perMinute: env.SMS_RATE_LIMIT,
      countries: env.SMS_ALLOWED_COUNTRIES.includes('*')
        ? 'any'
        : env.SMS_ALLOWED_COUNTRIES.length
          ? env.SMS_ALLOWED_COUNTRIES
          : env.TWILIO_PHONE_NUMBER && home
            ? [home]
            : ['US', 'CA'],
    },
  };
}
