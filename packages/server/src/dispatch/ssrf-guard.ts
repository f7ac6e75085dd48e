import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { embeddedIpv4 } from './embedded-ipv4.ts';

/**
 * Address ranges a callback may not reach unless `allowPrivateCallbackUrls` is on: "this network", private
 * (RFC 1918, ULA), shared (CGNAT), loopback, link-local (incl. cloud metadata at 169.254.169.254), benchmarking,
 * documentation, multicast and reserved space, for IPv4 and IPv6. An IPv6 address that carries an IPv4 address
 * (mapped, compatible, NAT64, 6to4, Teredo: see `embeddedIpv4`) is also judged by that IPv4 address; the local-use
 * NAT64 prefix `64:ff9b:1::/48`, whose IPv4 position depends on the operator's prefix length, is refused whole.
 */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const BLOCKED_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const blockList = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blockList.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blockList.addSubnet(net, prefix, 'ipv6');

/** Thrown (as a connection error) when a callback would reach a refused address. */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = 'ERR_READWIRE_PRIVATE_ADDRESS';
}

/** Whether `ip` (v4 or v6, optionally `[bracketed]`) is in a refused range. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 4) return blockList.check(bare, 'ipv4');
  if (family !== 6) return false;
  return blockList.check(bare, 'ipv6') || embeddedIpv4(bare).some((v4) => blockList.check(v4, 'ipv4'));
}

/**
 * Checks a callback URL when it is configured: http(s) only, and — unless private targets are allowed — no literal
 * private address and no `localhost`. Names are checked again at connect time (`guardedLookup`), since DNS can
 * change. Returns the reason for a refusal, or undefined.
 */
export function callbackUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (allowPrivate) return undefined;
  const host = u.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
    return `${u.hostname} is a private, loopback or link-local address (allowPrivateCallbackUrls is off)`;
  }
  return undefined;
}

/**
 * A `lookup` for `net.connect` that resolves as usual and refuses the connection when any resolved address is in a
 * refused range — checked at connect time, so a name that later resolves to a private address is still refused.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  const all: LookupAllOptions = { ...options, all: true };
  dnsLookup(hostname, all, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      return callback(
        new PrivateAddressError(`refused: ${hostname} resolves to private address ${bad.address}`),
        '',
        0,
      );
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
    callback(null, first.address, first.family);
  });
};
