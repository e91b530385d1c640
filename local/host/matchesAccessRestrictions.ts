import { BlockList, isIPv6 } from 'node:net';
import type { AccessRule } from '../../lib/appcontrol/AppControl.js';

/**
 * Decides whether `address` may call the app, the way App Service evaluates access restrictions:
 * rules in priority order, first match wins; when no rule matches, the call is allowed if there are
 * only Deny rules and refused as soon as any Allow rule exists. Returns the rule that decided, or
 * `implicit`.
 */
export function matchesAccessRestrictions(
  address: string,
  rules: readonly AccessRule[],
): { allowed: boolean; rule: string } {
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  const plainFamily = plain === address ? family : 'ipv4';
  const ordered = [...rules].sort((a, b) => a.priority - b.priority);
  for (const rule of ordered) {
    if (toBlockList(rule.ipAddress).check(plain, plainFamily)) {
      return { allowed: rule.action === 'Allow', rule: rule.name };
    }
  }
  return { allowed: !rules.some((rule) => rule.action === 'Allow'), rule: 'implicit' };
}

function toBlockList(range: string): BlockList {
  const list = new BlockList();
  const [base = '', prefix] = range.split('/');
  const type = isIPv6(base) ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(base, type);
  else list.addSubnet(base, Number(prefix), type);
  return list;
}
