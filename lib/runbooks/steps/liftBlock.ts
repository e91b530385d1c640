import type { AppControl } from '../../appcontrol/AppControl.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/**
 * Removes the Deny rule containment added for a range (by its recorded name, so rules added by
 * hand stay), writing the rest of the list back unchanged, and marks the block lifted.
 */
export function liftBlock(
  control: AppControl,
  journal: ContainmentJournal,
  block: { cidr: string; ruleName: string },
): RunbookStep {
  const lift = () => journal.markLifted('address-blocked', block.cidr);
  return {
    action: 'lift-block',
    target: block.cidr,
    kind: 'change',
    summary: `remove Deny rule ${block.ruleName} for ${block.cidr}`,
    inspect: async () => {
      const rule = (await control.getAccessRules()).find((r) => r.name === block.ruleName);
      return { done: rule === undefined, observed: rule ? `rule ${rule.name} present` : 'no rule' };
    },
    apply: async () => {
      const rules = await control.getAccessRules();
      const kept = rules.filter((rule) => rule.name !== block.ruleName);
      if (kept.length !== rules.length) await control.setAccessRules(kept);
      await lift();
    },
    settle: lift,
  };
}
