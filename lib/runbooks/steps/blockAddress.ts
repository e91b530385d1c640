import type { AppControl } from '../../appcontrol/AppControl.js';
import type { AddressRange } from '../AddressRange.js';
import { denyRuleFor } from '../blockRules.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import { findAction } from '../ContainmentRecord.js';
import type { RunbookStep } from '../RunbookStep.js';

/**
 * Adds a Deny access rule for `range`: read the rules, add one, write the whole list back, so
 * every other rule stays. Blocked callers get 403 from the platform before the app runs.
 */
export function blockAddress(
  control: AppControl,
  journal: ContainmentJournal,
  block: { range: AddressRange; ruleName: string; priority: number },
): RunbookStep {
  const { range } = block;
  return {
    action: 'block-address',
    target: range.cidr,
    kind: 'change',
    summary: `add Deny rule ${block.ruleName} for ${range.cidr} at priority ${block.priority}`,
    inspect: async () => {
      const rule = denyRuleFor(await control.getAccessRules(), range);
      return {
        done: rule !== undefined,
        observed: rule ? `denied by rule ${rule.name} (priority ${rule.priority})` : 'not blocked',
      };
    },
    apply: async () => {
      // A run interrupted after recording keeps the name and priority it recorded first.
      const recorded = findAction(journal.open, 'address-blocked', range.cidr);
      const ruleName = recorded?.ruleName ?? block.ruleName;
      const priority = recorded?.priority ?? block.priority;
      await journal.record({ kind: 'address-blocked', target: range.cidr, ruleName, priority });

      const rules = await control.getAccessRules();
      if (denyRuleFor(rules, range) !== undefined) return;
      const incident = journal.open?.incidentId ?? 'incident';
      await control.setAccessRules([
        ...rules,
        {
          name: ruleName,
          action: 'Deny',
          ipAddress: range.cidr,
          priority,
          description: `sealops contain ${incident}`,
        },
      ]);
    },
  };
}
