import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AccessRule } from '../../../lib/appcontrol/AppControl.js';
import { parseAddressRange } from '../../../lib/runbooks/AddressRange.js';
import { blockRuleName, denyPriorityFor, denyRuleFor } from '../../../lib/runbooks/blockRules.js';

const rule = (
  name: string,
  action: 'Allow' | 'Deny',
  ipAddress: string,
  priority: number,
): AccessRule => ({
  name,
  action,
  ipAddress,
  priority,
});

describe('block rules', () => {
  it('names the rule for a range the same way on every run', () => {
    const name = blockRuleName(parseAddressRange('203.0.113.7'));

    assert.match(name, /^sealops-block-[0-9a-f]{8}$/);
    assert.equal(blockRuleName(parseAddressRange('203.0.113.7/32')), name);
  });

  it('finds a Deny rule for the same range, whoever wrote it and however it is spelled', () => {
    const rules = [
      rule('partner', 'Allow', '198.51.100.0/24', 100),
      rule('manual', 'Deny', '203.0.113.7', 50),
    ];

    assert.equal(denyRuleFor(rules, parseAddressRange('203.0.113.7/32'))?.name, 'manual');
    assert.equal(denyRuleFor(rules, parseAddressRange('198.51.100.0/24')), undefined);
  });

  it('picks the first free priority from 10 when no Allow rule covers the range', () => {
    const rules = [rule('a', 'Deny', '192.0.2.1', 10), rule('b', 'Deny', '192.0.2.2', 11)];

    assert.equal(denyPriorityFor(rules, parseAddressRange('203.0.113.7'), new Set([12])), 13);
  });

  it('stays below an Allow rule that covers the range, so the Deny is reached first', () => {
    const rules = [rule('partner', 'Allow', '203.0.113.0/24', 5)];

    assert.equal(denyPriorityFor(rules, parseAddressRange('203.0.113.7')), 1);
    assert.equal(
      denyPriorityFor(
        [rule('partner', 'Allow', '203.0.113.0/24', 1)],
        parseAddressRange('203.0.113.7'),
      ),
      undefined,
    );
  });
});
