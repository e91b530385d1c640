import type { KeyInventory } from './CredentialDriver.js';
import type { RotationPolicy } from './RotationPolicy.js';
import type { RotationRecord, RotationState } from './RotationState.js';

/** The steps that change something, by the name their `RotationStep` events carry. */
export type RotationStepName =
  'start' | 'obtain' | 'test' | 'publish' | 'refresh' | 'confirm' | 'deactivate';

/** What a run would do next for one credential. */
export type NextAction =
  /** Automation stopped after repeated failures; a person must act. */
  | { readonly kind: 'stopped'; readonly step: string; readonly reason: string }
  /** Nothing to do before `until`. */
  | { readonly kind: 'wait'; readonly until: Date; readonly reason: string }
  /** Idle and healthy: record the daily check; next check at `until`. */
  | { readonly kind: 'check'; readonly until: Date; readonly reason: string }
  | { readonly kind: 'step'; readonly step: 'start'; readonly reason: RotationRecord['reason'] }
  | { readonly kind: 'step'; readonly step: Exclude<RotationStepName, 'start'> };

/** What the decision needs besides the state: the keys valid now and any staged key. */
export interface DecisionInputs {
  readonly policy: RotationPolicy;
  readonly state: RotationState;
  readonly inventory: KeyInventory;
  readonly now: Date;
  /** An operator staged a key that no rotation has adopted yet. */
  readonly staged: boolean;
}

/**
 * The next action for a credential, from its persisted state and the keys valid now. Pure: the
 * timer, `sealops keys run` and `sealops keys plan` all decide with it.
 */
export function decideNextAction(inputs: DecisionInputs): NextAction {
  const { policy, state, inventory, now, staged } = inputs;
  if (state.stopped !== undefined) {
    return { kind: 'stopped', step: state.stopped.step, reason: state.stopped.reason };
  }
  if (state.failure !== undefined && Date.parse(state.failure.retryAt) > now.getTime()) {
    return {
      kind: 'wait',
      until: new Date(state.failure.retryAt),
      reason: `retrying '${state.failure.step}' after ${state.failure.attempts} failure(s): ${state.failure.reason}`,
    };
  }

  switch (state.phase) {
    case 'idle':
      return decideIdle(policy, inventory, now, staged);
    case 'obtaining':
      return { kind: 'step', step: 'obtain' };
    case 'testing':
      return { kind: 'step', step: 'test' };
    case 'publishing':
      return { kind: 'step', step: 'publish' };
    case 'refreshing':
      return { kind: 'step', step: 'refresh' };
    case 'overlapping':
      return decideOverlap(policy, state.rotation, now);
    case 'deactivating':
      return { kind: 'step', step: 'deactivate' };
  }
}

function decideIdle(
  policy: RotationPolicy,
  inventory: KeyInventory,
  now: Date,
  staged: boolean,
): NextAction {
  const [current] = inventory.valid;
  if (current === undefined) return { kind: 'step', step: 'start', reason: 'no-valid-key' };
  if (staged) return { kind: 'step', step: 'start', reason: 'staged' };

  const nextDailyCheck = new Date(now.getTime() + policy.idleCheckMs);
  if (current.expiresOn === undefined) {
    return {
      kind: 'check',
      until: nextDailyCheck,
      reason: `key ${current.keyId} has no expiry, so no rotation is scheduled`,
    };
  }
  const startAt = new Date(current.expiresOn.getTime() - policy.leadMs);
  if (startAt.getTime() <= now.getTime()) return { kind: 'step', step: 'start', reason: 'expiry' };
  return {
    kind: 'check',
    until: startAt < nextDailyCheck ? startAt : nextDailyCheck,
    reason:
      `key ${current.keyId} expires ${current.expiresOn.toISOString()}; rotation starts ` +
      startAt.toISOString(),
  };
}

function decideOverlap(
  policy: RotationPolicy,
  rotation: RotationRecord | undefined,
  now: Date,
): NextAction {
  // A rotation with nothing to retire (the first key) has no overlap to wait for.
  if (rotation === undefined || rotation.previous.length === 0 || !rotation.publishedAt) {
    return { kind: 'step', step: 'confirm' };
  }
  const overlapEnd = Date.parse(rotation.publishedAt) + policy.overlapMs;
  if (overlapEnd > now.getTime()) {
    const until = Math.min(overlapEnd, now.getTime() + policy.idleCheckMs);
    return {
      kind: 'wait',
      until: new Date(until),
      reason: `both keys stay valid until the overlap ends at ${new Date(overlapEnd).toISOString()}`,
    };
  }
  return { kind: 'step', step: 'confirm' };
}
