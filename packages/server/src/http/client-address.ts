import { isIP } from 'node:net';
import { normalizeAddress } from './trusted-proxies.ts';

/**
 * The client's address for `ClientIP`: the socket's peer, unless that peer is a trusted proxy, in which case
 * `X-Forwarded-For` is walked from the right (the entry our proxy appended) past further trusted proxies to the first
 * address that is not one. Entries that are not addresses end the walk, so a client cannot smuggle a value in by
 * sending its own header through a proxy that appends.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  isTrustedProxy: (address: string) => boolean,
): string {
  let address = normalizeAddress(socketAddress ?? '');
  if (!isTrustedProxy(address) || forwardedFor === undefined) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => normalizeAddress(s.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) break;
    address = hop;
    if (!isTrustedProxy(hop)) break;
  }
  return address;
}
