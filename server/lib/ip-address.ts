import ipaddr from 'ipaddr.js';

/** Why a URL or an address is refused; undefined when it may be used. */
export type Refusal = string | undefined;

/**
 * Whether `address` is on the public internet, or listed in `allowPrivate`. IPv4 written as IPv6
 * (::ffff:127.0.0.1) is read as the IPv4 address it is. ipaddr.js knows the special ranges
 * (loopback, private, link-local, unique-local, carrier NAT, multicast, reserved, …): only what
 * it calls plain unicast is public.
 */
export function refuseAddress(address: string, network: { allowPrivate: readonly string[] }): Refusal {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const ip = ipaddr.process(address);
  for (const allowed of network.allowPrivate) {
    try {
      const [range, bits] = allowed.includes('/') ? ipaddr.parseCIDR(allowed) : [ipaddr.process(allowed), ipaddr.process(allowed).kind() === 'ipv4' ? 32 : 128];
      if (range.kind() === ip.kind() && ip.match(range, bits)) return undefined;
    } catch {
      // An entry that is no address was refused when the configuration was read.
    }
  }
  const range = ip.range();
  return range === 'unicast' ? undefined : `${address} is a ${range} address, which webhooks may not reach (WEBHOOK_ALLOW_PRIVATE lists exceptions)`;
}

/** Whether a WEBHOOK_ALLOW_PRIVATE entry is an address or a CIDR range. */
export function isAddressOrRange(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

