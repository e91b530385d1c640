import type { CredentialStatus } from '../../lib/rotation/credentialStatus.js';
import type { CredentialRun } from '../../lib/rotation/RotationRun.js';
import type { PlannedAction } from '../../lib/rotation/RotationEngine.js';

/** `sealops keys status` for people: one block per credential. */
export function formatKeyStatus(statuses: readonly CredentialStatus[]): string[] {
  const lines: string[] = [];
  for (const status of statuses) {
    lines.push(`${status.credential}  (${status.description})`);
    lines.push(
      `  phase      ${status.phase}${status.rotationId ? `, rotation ${status.rotationId}` : ''}`,
    );
    for (const key of status.keys) {
      lines.push(
        `  ${key.state.padEnd(10)} ${key.keyId}  ${key.fingerprint}  expires ${key.expiresOn ?? 'never'}`,
      );
    }
    if (status.keys.length === 0)
      lines.push('  no valid key: nothing can use this credential until one is published');
    lines.push(`  next       ${status.next.action} at ${status.next.at}: ${status.next.detail}`);
    for (const rejected of status.rejected) {
      lines.push(`  rejected   ${rejected.keyId} at ${rejected.at}: ${rejected.reason}`);
    }
    if (status.failure) {
      lines.push(
        `  failing    '${status.failure.step}' ${status.failure.attempts}x, retry at ${status.failure.retryAt}: ${status.failure.reason}`,
      );
    }
    if (status.stopped)
      lines.push(
        `  STOPPED    at '${status.stopped.step}' since ${status.stopped.at}: ${status.stopped.reason}`,
      );
    if (status.lastCompleted) {
      lines.push(
        `  last done  ${status.lastCompleted.keyId} at ${status.lastCompleted.completedAt}`,
      );
    }
    lines.push('');
  }
  return lines;
}

/** `sealops keys plan` for people. */
export function formatPlan(plans: readonly PlannedAction[]): string[] {
  return plans.map(
    (plan) => `${plan.credential} (${plan.phase}): ${plan.action} at ${plan.at}: ${plan.detail}`,
  );
}

/** `sealops keys run` and `abort` for people: each step the run took. */
export function formatRuns(runs: readonly CredentialRun[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    lines.push(`${run.credential}: ${run.outcome}. ${run.message}`);
    for (const step of run.steps) {
      lines.push(
        `  ${step.step.padEnd(10)} ${step.outcome.padEnd(8)} ${step.keyId ?? ''}${step.reason ? `  ${step.reason}` : ''}`,
      );
    }
    for (const alert of run.alerts) lines.push(`  ALERT ${alert.severity}: ${alert.reason}`);
  }
  return lines;
}
