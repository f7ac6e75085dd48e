import { BlockList, isIP } from 'node:net';

/** Names accepted in `trustedProxies` besides addresses and CIDRs (as Fastify's `trustProxy` accepts them). */
const NAMED_RANGES: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/** `::ffff:1.2.3.4` → `1.2.3.4`; other addresses unchanged. */
export function normalizeAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/**
 * A test for "is this peer one of our reverse proxies", from `config.trustedProxies`: addresses (`10.0.0.1`),
 * CIDRs (`10.0.0.0/8`, `fd00::/8`) and the names `loopback`, `linklocal`, `uniquelocal`. Throws on an entry that is
 * none of these, so a typo fails at startup instead of silently trusting nobody.
 */
export function createProxyMatcher(trusted: string[]): (address: string) => boolean {
  if (trusted.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of trusted) {
    const named = NAMED_RANGES[entry.toLowerCase()];
    if (named) {
      for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
      continue;
    }
    const [net = '', prefixText] = entry.split('/');
    const version = isIP(net);
    if (version === 0) throw new Error(`trustedProxies: "${entry}" is not an address, a CIDR or a known name`);
    const type = version === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) list.addAddress(net, type);
    else list.addSubnet(net, Number(prefixText), type);
  }
  return (address) => {
    const a = normalizeAddress(address);
    const version = isIP(a);
    return version !== 0 && list.check(a, version === 4 ? 'ipv4' : 'ipv6');
  };
}
