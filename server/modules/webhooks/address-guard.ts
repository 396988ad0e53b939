import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookNetwork } from '../../config.ts';
import { refuseAddress, type Refusal } from '../../lib/ip-address.ts';

export type { WebhookNetwork };

const MAX_URL = 2000;

/** Why an endpoint URL cannot be registered: its form, its scheme, an address literal it names. */
export function refuseUrl(raw: string, network: WebhookNetwork): Refusal {
  if (raw.length > MAX_URL) return `A URL is at most ${MAX_URL} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Give the whole address, starting with https://.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && network.allowHttp)) {
    return url.protocol === 'http:' ? 'Webhooks go only to https:// addresses (WEBHOOK_ALLOW_HTTP allows http:// for development).' : 'Webhooks go only to https:// addresses.';
  }
  if (url.username || url.password) return 'Put no user name or password in the URL: each delivery is signed instead.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refuseAddress(host, network);
  if (host === 'localhost' || host.endsWith('.localhost')) return refuseAddress('127.0.0.1', network);
  return undefined;
}

/**
 * A DNS lookup for the HTTP client that refuses every answer that is not public (so a name that
 * resolves to 127.0.0.1 or 169.254.169.254 is refused at connection time, where the address is
 * the one actually used: a second lookup cannot swap it).
 */
export function guardedLookup(network: Pick<WebhookNetwork, 'allowPrivate'>): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => refuseAddress(a.address, network)).find(Boolean);
      if (refused || addresses.length === 0) {
        return callback(Object.assign(new Error(refused ?? `${hostname} has no address`), { code: 'EWEBHOOKADDRESS' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
