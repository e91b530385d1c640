import type { CredentialDriver } from './CredentialDriver.js';
import type { NextAction } from './decideNextAction.js';
import type { RotationState } from './RotationState.js';

/** A next action in words, for `plan` and `status`. */
export interface ActionDescription {
  /** The step name (`obtain`, `publish`, ...) or `wait`, `check`, `stopped`. */
  readonly action: string;
  /** When it happens: now for a due step, the awaited time otherwise (ISO-8601). */
  readonly at: string;
  readonly detail: string;
}

const hours = (ms: number) => `${Math.round(ms / 3_600_000)} h`;

/** Describes `action` for people; never changes anything. */
export function describeAction(
  action: NextAction,
  driver: CredentialDriver,
  state: RotationState,
  now: Date,
): ActionDescription {
  const at = now.toISOString();
  const candidate = state.rotation?.candidate;
  const previous = (state.rotation?.previous ?? []).map(({ keyId }) => keyId).join(', ') || 'none';
  switch (action.kind) {
    case 'stopped':
      return {
        action: 'stopped',
        at,
        detail:
          `Automation is stopped at '${action.step}': ${action.reason} Resume with 'sealops keys ` +
          `run --credential ${driver.credential} --resume' or start over with 'sealops keys abort'.`,
      };
    case 'wait':
      return { action: 'wait', at: action.until.toISOString(), detail: action.reason };
    case 'check': {
      // A check not yet made is due now; the one after it comes at `until`.
      const due = state.nextCheckAt !== undefined && Date.parse(state.nextCheckAt) > now.getTime();
      return { action: 'check', at: due ? (state.nextCheckAt ?? at) : at, detail: action.reason };
    }
    case 'step':
      break;
  }
  switch (action.step) {
    case 'start':
      return { action: 'start', at, detail: `Start a rotation (${startReasons[action.reason]}).` };
    case 'obtain':
      return {
        action: 'obtain',
        at,
        detail:
          driver.issuance === 'automatic'
            ? 'Obtain a new key from the provider, kept in the pending secret until published.'
            : "Wait for an operator to stage a new key with 'sealops keys stage'; escalate at " +
              `${driver.policy.escalationDays.join(', ')} days before expiry.`,
      };
    case 'test':
      return {
        action: 'test',
        at,
        detail: `Test key ${candidate?.keyId ?? '?'} for real before anything uses it.`,
      };
    case 'publish':
      return {
        action: 'publish',
        at,
        detail: `Publish key ${candidate?.keyId ?? '?'} as the preferred key; ${previous} stays valid.`,
      };
    case 'refresh':
      return {
        action: 'refresh',
        at,
        detail: 'Ask App Service to resolve Key Vault references again (nothing to do locally).',
      };
    case 'confirm':
      return {
        action: 'confirm',
        at,
        detail:
          `Check that ${previous} went unused for the last ${hours(driver.policy.quietMs)} ` +
          'before deactivating it.',
      };
    case 'deactivate':
      return {
        action: 'deactivate',
        at,
        detail: `Disable ${previous} and revoke it at the provider where possible.`,
      };
  }
}

const startReasons = {
  expiry: 'the current key is within its rotation lead time of expiry',
  'no-valid-key': 'there is no valid key',
  staged: 'an operator staged a new key',
  manual: 'requested by an operator',
} as const;
