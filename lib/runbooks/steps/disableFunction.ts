import type { AppControl } from '../../appcontrol/AppControl.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/**
 * Disables one function (on Azure: the app setting `AzureWebJobs.<name>.Disabled`, which restarts
 * the app); its route then answers 404 while the rest of the app keeps running.
 */
export function disableFunction(
  control: AppControl,
  journal: ContainmentJournal,
  functionName: string,
): RunbookStep {
  return {
    action: 'disable-function',
    target: functionName,
    kind: 'change',
    summary: `disable ${functionName}; its route answers 404, other functions keep running`,
    inspect: async () => {
      const disabled = await control.isFunctionDisabled(functionName);
      return { done: disabled, observed: disabled ? 'disabled' : 'enabled' };
    },
    apply: async () => {
      await journal.record({ kind: 'function-disabled', target: functionName });
      await control.setFunctionDisabled(functionName, true);
    },
  };
}
