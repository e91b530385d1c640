import type { AppControl } from '../../appcontrol/AppControl.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Enables the function that containment disabled, and marks that lifted. */
export function enableFunction(
  control: AppControl,
  journal: ContainmentJournal,
  functionName: string,
): RunbookStep {
  const lift = () => journal.markLifted('function-disabled', functionName);
  return {
    action: 'enable-function',
    target: functionName,
    kind: 'change',
    summary: `enable ${functionName} again`,
    inspect: async () => {
      const disabled = await control.isFunctionDisabled(functionName);
      return { done: !disabled, observed: disabled ? 'disabled' : 'enabled' };
    },
    apply: async () => {
      await control.setFunctionDisabled(functionName, false);
      await lift();
    },
    settle: lift,
  };
}
