import { randomUUID } from 'node:crypto';

import type { RotationAlertEvent } from '../telemetry/events.js';
import type { CredentialDriver, KeyInventory, KeyView, StepContext } from './CredentialDriver.js';
import type { RotationStepName } from './decideNextAction.js';
import { omitFields } from './omitFields.js';
import type { KeyRecord, RotationRecord, RotationState } from './RotationState.js';

/** What a step left behind: the next state, and whether the run should go on at once. */
export interface StepResult {
  readonly state: RotationState;
  readonly continue: boolean;
}

/** What a step runs with. `context.state` is always the latest saved state. */
export interface StepRuntime {
  readonly driver: CredentialDriver;
  readonly context: StepContext;
  readonly inventory: KeyInventory;
  readonly now: Date;
  readonly startReason?: RotationRecord['reason'];
  readonly startRequestId?: string;
  alert(event: RotationAlertEvent): void;
}

/** Runs one step. Throws when the step failed in a way worth retrying. */
export async function performStep(
  step: RotationStepName,
  runtime: StepRuntime,
): Promise<StepResult> {
  switch (step) {
    case 'start':
      return start(runtime);
    case 'obtain':
      return obtain(runtime);
    case 'test':
      return test(runtime);
    case 'publish':
      return publish(runtime);
    case 'refresh':
      return refresh(runtime);
    case 'confirm':
      return confirm(runtime);
    case 'deactivate':
      return deactivate(runtime);
  }
}

function start(runtime: StepRuntime): StepResult {
  const { context, inventory, now, startReason, startRequestId } = runtime;
  const previous = inventory.valid.map(toKeyRecord);
  const rotation: RotationRecord = {
    id: randomUUID(),
    reason: startReason ?? 'manual',
    ...(startRequestId ? { requestId: startRequestId } : {}),
    startedAt: now.toISOString(),
    previous,
    issueIntents: [],
    rejected: [],
    alerted: [],
    deactivated: [],
  };
  context.audit(
    'start',
    'success',
    previous[0]?.keyId,
    `rotation ${rotation.id}: ${rotation.reason}`,
  );
  return {
    state: { ...withoutFailure(context.state), phase: 'obtaining', rotation },
    continue: true,
  };
}

async function obtain(runtime: StepRuntime): Promise<StepResult> {
  const { driver, context, now } = runtime;
  const { rotation } = context;
  let candidate = rotation.candidate;
  if (candidate === undefined && driver.issuance === 'operator') {
    const exclude = [...rotation.previous, ...rotation.rejected].map(({ keyId }) => keyId);
    candidate = await driver.findStaged(now, exclude);
    if (candidate === undefined) {
      const until = new Date(now.getTime() + driver.policy.inFlightCheckMs);
      return {
        state: { ...withoutFailure(context.state), nextCheckAt: until.toISOString() },
        continue: false,
      };
    }
  }
  candidate ??= await driver.obtain(context);
  context.audit('obtain', 'success', candidate.keyId, `from ${candidate.source}`);
  return {
    state: {
      ...withoutFailure(context.state),
      phase: 'testing',
      rotation: { ...context.rotation, candidate },
    },
    continue: true,
  };
}

async function test(runtime: StepRuntime): Promise<StepResult> {
  const { driver, context, now } = runtime;
  const candidate = requireCandidate(context.rotation);
  const verdict = await driver.test(context, candidate);
  if (verdict.passed) {
    context.audit('test', 'success', candidate.keyId);
    return {
      state: {
        ...withoutFailure(context.state),
        phase: 'publishing',
        rotation: { ...context.rotation, candidate: { ...candidate, testedAt: now.toISOString() } },
      },
      continue: true,
    };
  }

  await driver.discard(context, candidate);
  context.audit('test', 'failure', candidate.keyId, verdict.reason);
  const rest = omitFields(context.rotation, 'candidate');
  const rotation: RotationRecord = {
    ...rest,
    rejected: [
      ...rest.rejected,
      {
        keyId: candidate.keyId,
        fingerprint: candidate.fingerprint,
        reason: verdict.reason,
        at: now.toISOString(),
      },
    ],
  };
  const state: RotationState = { ...withoutFailure(context.state), phase: 'obtaining', rotation };
  const automatic = driver.issuance === 'automatic';
  if (automatic && rotation.rejected.length >= driver.policy.maxRejections) {
    const reason = `${rotation.rejected.length} new keys in a row failed their test; the last: ${verdict.reason}`;
    runtime.alert(stoppedAlert(driver.credential, 'test', reason, rotation.previous));
    return {
      state: {
        ...state,
        stopped: { step: 'test', reason, at: now.toISOString() },
        nextCheckAt: new Date(now.getTime() + driver.policy.idleCheckMs).toISOString(),
      },
      continue: false,
    };
  }
  runtime.alert({
    name: 'RotationAlert',
    credential: driver.credential,
    severity: 'warning',
    kind: 'escalation',
    step: 'test',
    reason: automatic
      ? `A new key failed its test and was revoked; another is being obtained: ${verdict.reason}`
      : `The staged key failed its test and was not published: ${verdict.reason} Stage a ` +
        "correct key with 'sealops keys stage'.",
  });
  return { state, continue: automatic };
}

async function publish({ driver, context, now }: StepRuntime): Promise<StepResult> {
  const candidate = requireCandidate(context.rotation);
  const secretVersion = await driver.publish(context, candidate);
  context.audit(
    'publish',
    'success',
    candidate.keyId,
    secretVersion && `secret version ${secretVersion}`,
  );
  return {
    state: {
      ...withoutFailure(context.state),
      phase: 'refreshing',
      rotation: {
        ...context.rotation,
        candidate: { ...candidate, ...(secretVersion ? { secretVersion } : {}) },
        publishedAt: now.toISOString(),
      },
    },
    continue: true,
  };
}

async function refresh({ driver, context, now }: StepRuntime): Promise<StepResult> {
  const candidate = requireCandidate(context.rotation);
  await driver.refresh(context);
  context.audit('refresh', 'success', candidate.keyId);
  return {
    state: {
      ...withoutFailure(context.state),
      phase: 'overlapping',
      rotation: { ...context.rotation, refreshedAt: now.toISOString() },
    },
    continue: true,
  };
}

async function confirm(runtime: StepRuntime): Promise<StepResult> {
  const { driver, context, now } = runtime;
  const { rotation } = context;
  const orphaned = stopIfSuccessorGone(runtime, 'confirm');
  if (orphaned !== undefined) return orphaned;
  const remaining = rotation.previous.filter(({ keyId }) => !rotation.deactivated.includes(keyId));
  if (remaining.length > 0) {
    const since = new Date(now.getTime() - driver.policy.quietMs);
    const verdict = await driver.usage(context, remaining, since);
    if (!verdict.quiet) {
      for (const key of remaining) context.audit('confirm', 'skipped', key.keyId, verdict.reason);
      warnIfRetiringKeyExpires(runtime, remaining, verdict.reason);
      const until = new Date(now.getTime() + driver.policy.inFlightCheckMs);
      return {
        state: { ...withoutFailure(context.state), nextCheckAt: until.toISOString() },
        continue: false,
      };
    }
    for (const key of remaining) {
      context.audit('confirm', 'success', key.keyId, `unused since ${since.toISOString()}`);
    }
  }
  return {
    state: {
      ...withoutFailure(context.state),
      phase: 'deactivating',
      rotation: { ...rotation, confirmedAt: now.toISOString() },
    },
    continue: true,
  };
}

async function deactivate(runtime: StepRuntime): Promise<StepResult> {
  const { driver, context, now } = runtime;
  const orphaned = stopIfSuccessorGone(runtime, 'deactivate');
  if (orphaned !== undefined) return orphaned;
  for (const key of context.rotation.previous) {
    if (context.rotation.deactivated.includes(key.keyId)) continue;
    await driver.deactivate(context, key);
    await context.save({ deactivated: [...context.rotation.deactivated, key.keyId] });
    context.audit('deactivate', 'success', key.keyId);
    await context.checkpoint(`deactivate:${key.keyId}`);
  }

  const { rotation } = context;
  const candidate = requireCandidate(rotation);
  context.audit('complete', 'success', candidate.keyId, `rotation ${rotation.id}`);
  const completed = [
    ...context.state.completed,
    {
      id: rotation.id,
      ...(rotation.requestId ? { requestId: rotation.requestId } : {}),
      keyId: candidate.keyId,
      previous: rotation.previous.map(({ keyId }) => keyId),
      startedAt: rotation.startedAt,
      completedAt: now.toISOString(),
    },
  ].slice(-10);
  const rest = omitFields(context.state, 'rotation', 'nextCheckAt', 'failure');
  return { state: { ...rest, phase: 'idle', completed }, continue: true };
}

/**
 * Never retire the old key when its successor is no longer valid (disabled in an incident,
 * deleted by hand): that would leave no key at all. Automation stops and says so at once.
 */
function stopIfSuccessorGone(runtime: StepRuntime, step: string): StepResult | undefined {
  const { driver, context, inventory, now } = runtime;
  const candidate = requireCandidate(context.rotation);
  if (inventory.valid.some(({ keyId }) => keyId === candidate.keyId)) return undefined;
  const reason =
    `the new key ${candidate.keyId} is no longer valid (disabled, deleted or expired), so the ` +
    'old key is not retired';
  context.audit(step, 'failure', candidate.keyId, reason);
  runtime.alert(stoppedAlert(driver.credential, step, reason, context.rotation.previous));
  return {
    state: {
      ...withoutFailure(context.state),
      stopped: { step, reason, at: now.toISOString() },
      nextCheckAt: new Date(now.getTime() + driver.policy.idleCheckMs).toISOString(),
    },
    continue: false,
  };
}

function warnIfRetiringKeyExpires(
  runtime: StepRuntime,
  remaining: readonly KeyRecord[],
  reason: string,
): void {
  const { driver, now } = runtime;
  const soon = remaining.find(
    ({ expiresOn }) =>
      expiresOn !== undefined &&
      Date.parse(expiresOn) - now.getTime() < 2 * driver.policy.idleCheckMs,
  );
  if (soon === undefined) return;
  runtime.alert({
    name: 'RotationAlert',
    credential: driver.credential,
    severity: 'warning',
    kind: 'escalation',
    step: 'confirm',
    reason:
      `Key ${soon.keyId} is still in use and expires ${soon.expiresOn ?? ''}: find the instance ` +
      `that has not picked up the new key before it does (${reason}).`,
  });
}

/** The alert raised when automation stops for a credential. */
export function stoppedAlert(
  credential: string,
  step: string,
  reason: string,
  previous: readonly KeyRecord[],
): RotationAlertEvent {
  const [old] = previous;
  const stillValid = old
    ? ` Key ${old.keyId} stays valid${old.expiresOn ? ` until ${old.expiresOn}` : ''}.`
    : '';
  return {
    name: 'RotationAlert',
    credential,
    severity: 'critical',
    kind: 'automation_stopped',
    step,
    reason:
      `Automation stopped for ${credential} at step '${step}': ${sentence(reason)}${stillValid} Fix the ` +
      `cause, then run 'sealops keys run --credential ${credential} --resume', or ` +
      `'sealops keys abort --credential ${credential}' to start over.`,
  };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function requireCandidate(rotation: RotationRecord) {
  if (rotation.candidate === undefined) {
    throw new Error(`Rotation ${rotation.id} has no candidate key at this phase.`);
  }
  return rotation.candidate;
}

function withoutFailure(state: RotationState): RotationState {
  return omitFields(state, 'failure');
}

function toKeyRecord(key: KeyView): KeyRecord {
  return {
    keyId: key.keyId,
    fingerprint: key.fingerprint,
    ...(key.expiresOn ? { expiresOn: key.expiresOn.toISOString() } : {}),
    ...(key.secretVersion ? { secretVersion: key.secretVersion } : {}),
  };
}
