import type { AppControl } from '../../appcontrol/AppControl.js';
import type { RunbookStep } from '../RunbookStep.js';

/**
 * Asks the platform to resolve Key Vault references again now instead of within a day, so a
 * disabled or new signing-key version takes effect. There is no state to read back: the step
 * passes when the platform accepts the request.
 */
export function refreshKeyVaultReferences(control: AppControl, app: string): RunbookStep {
  return {
    action: 'refresh-key-vault-references',
    target: app,
    kind: 'check',
    summary: 'ask the platform to re-read Key Vault references now',
    inspect: () => Promise.resolve({ done: false, observed: 'not tracked' }),
    apply: () => control.refreshKeyVaultReferences(),
  };
}
