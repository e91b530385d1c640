import { BlockList, isIPv4, isIPv6 } from 'node:net';

import { InvalidAddressRangeError } from './errors/InvalidAddressRangeError.js';

/** An IPv4 or IPv6 CIDR range in the form App Service access restrictions hold. */
export interface AddressRange {
  /** Canonical CIDR text: `203.0.113.7/32`, `203.0.113.0/24`, `2001:db8::/48`. */
  readonly cidr: string;
  readonly family: 'ipv4' | 'ipv6';
  /** True when `address` (a single address) is inside the range. */
  contains(address: string): boolean;
  /** True when the two ranges share at least one address. */
  overlaps(other: AddressRange): boolean;
}

/**
 * Parses an address (`203.0.113.7`, taken as `/32` or `/128`) or a CIDR range. IPv4 ranges are
 * reduced to their network address (`203.0.113.9/24` → `203.0.113.0/24`), so the same range always
 * has the same text; IPv6 text is canonicalised but host bits are kept as written.
 * Throws {@link InvalidAddressRangeError}.
 */
export function parseAddressRange(text: string): AddressRange {
  const [rawBase = '', rawPrefix, extra] = text.trim().split('/');
  const family = isIPv4(rawBase) ? 'ipv4' : isIPv6(rawBase) ? 'ipv6' : undefined;
  if (family === undefined || extra !== undefined) throw new InvalidAddressRangeError(text);
  const bits = family === 'ipv4' ? 32 : 128;
  const prefix = rawPrefix === undefined ? bits : Number(rawPrefix);
  if (!/^\d{1,3}$/.test(rawPrefix ?? '0') || !Number.isInteger(prefix) || prefix > bits) {
    throw new InvalidAddressRangeError(text);
  }
  const base = family === 'ipv4' ? ipv4Network(rawBase, prefix) : canonicalIpv6(rawBase);
  const list = new BlockList();
  list.addSubnet(base, prefix, family);

  return {
    cidr: `${base}/${prefix}`,
    family,
    contains: (address) => {
      const plain =
        address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
      const type = isIPv4(plain) ? 'ipv4' : isIPv6(plain) ? 'ipv6' : undefined;
      return type !== undefined && list.check(plain, type);
    },
    overlaps(other) {
      const [otherBase = ''] = other.cidr.split('/');
      return this.contains(otherBase) || other.contains(base);
    },
  };
}

function ipv4Network(address: string, prefix: number): string {
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
}

function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}
