import type { AccessRule } from '../appcontrol/AppControl.js';
import type { AddressRange } from './AddressRange.js';
import { parseAddressRange } from './AddressRange.js';
import { createHash } from 'node:crypto';

/** Rules the runbooks add are named with this prefix, so a person can tell them apart. */
export const blockRulePrefix = 'sealops-block-';

/** The rule name for a blocked range: stable, so a repeated run finds the rule it added. */
export function blockRuleName(range: AddressRange): string {
  return `${blockRulePrefix}${createHash('sha256').update(range.cidr).digest('hex').slice(0, 8)}`;
}

/** The Deny rule that covers exactly `range`, whoever added it. */
export function denyRuleFor(
  rules: readonly AccessRule[],
  range: AddressRange,
): AccessRule | undefined {
  return rules.find((rule) => rule.action === 'Deny' && cidrOf(rule) === range.cidr);
}

/**
 * A priority for a new Deny rule on `range` that App Service evaluates before any Allow rule that
 * overlaps the range (lower numbers first): the first free number from 10 upward below that Allow
 * rule, else the first free one from 1. Undefined when there is none: the Deny would be shadowed.
 */
export function denyPriorityFor(
  rules: readonly AccessRule[],
  range: AddressRange,
  taken: ReadonlySet<number> = new Set(),
): number | undefined {
  const used = new Set([...taken, ...rules.map((rule) => rule.priority)]);
  const overlappingAllow = rules
    .filter((rule) => rule.action === 'Allow' && rangeOf(rule)?.overlaps(range) === true)
    .map((rule) => rule.priority);
  const ceiling = Math.min(Number.MAX_SAFE_INTEGER, ...overlappingAllow);
  for (const start of [10, 1]) {
    for (let priority = start; priority < ceiling && priority < start + 10_000; priority++) {
      if (!used.has(priority)) return priority;
    }
  }
  return undefined;
}

function cidrOf(rule: AccessRule): string | undefined {
  return rangeOf(rule)?.cidr;
}

function rangeOf(rule: AccessRule): AddressRange | undefined {
  try {
    return parseAddressRange(rule.ipAddress);
  } catch {
    // A rule written by hand in a form we do not parse is left alone.
    return undefined;
  }
}
