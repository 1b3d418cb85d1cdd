/**
 * Where webhooks may go. Only http(s); in live mode, loopback, private, link-local and other
 * non-public addresses are refused unless `PAYGATE_ALLOW_PRIVATE_WEBHOOKS=1` — checked on the
 * addresses DNS actually returns, at connect time, so a name that resolves to 127.0.0.1 (or
 * re-resolves there later) cannot reach paygate's own network. Test mode allows them: local
 * development receivers live on localhost.
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

/** Ranges a live webhook may not reach: RFC 6890 special-purpose blocks that are not the public internet. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is outside the public internet (IPv4-mapped IPv6 is judged as IPv4). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family === 6) return NON_PUBLIC.check(address, 'ipv6');
  return true;
}

/** Whether private destinations are allowed for a delivery in this mode. */
export interface DestinationPolicy {
  readonly allowPrivate: boolean;
}

export function destinationPolicy(livemode: boolean, env: Readonly<Record<string, string | undefined>>): DestinationPolicy {
  return { allowPrivate: !livemode || env.PAYGATE_ALLOW_PRIVATE_WEBHOOKS === '1' };
}

/** A destination the guard refused; the message says why and what to do. */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

function refusal(host: string, address: string): DestinationRefusedError {
  return new DestinationRefusedError(`${host} resolves to ${address}, a loopback, private or link-local address; live-mode webhooks go to public addresses only (set PAYGATE_ALLOW_PRIVATE_WEBHOOKS=1 to allow private ones)`);
}

/** Whether a host name is one of the loopback names (`localhost`, `*.localhost`). */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Checks what can be checked without DNS: scheme, credentials in the URL, and a literal IP host.
 * Returns the problem in words, or undefined.
 */
export function checkWebhookUrl(text: string, policy: DestinationPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not an absolute URL; write it like https://shop.example.com/hooks`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `webhook URLs must start with http:// or https:// (got ${url.protocol})`;
  if (url.username || url.password) return 'webhook URLs must not carry a user name or password';
  if (text.length > 2048) return 'webhook URLs are at most 2048 characters';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate) {
    if (isIP(host) && isNonPublicAddress(host)) return refusal(host, host).message;
  }
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that refuses non-public answers under a strict policy. Node
 * calls it for every new connection (not for literal IPs: `checkWebhookUrl` covers those).
 */
export function guardedLookup(policy: DestinationPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (!policy.allowPrivate) {
        const bad = list.find((entry) => isNonPublicAddress(entry.address));
        if (bad) return callback(refusal(hostname, bad.address), []);
      }
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
