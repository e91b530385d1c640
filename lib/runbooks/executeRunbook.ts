import { randomUUID } from 'node:crypto';

import type { RunbookActionEvent } from '../telemetry/events.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import { StepNotConfirmedError } from './errors/StepNotConfirmedError.js';
import type { RunbookAuditLog } from './RunbookAuditLog.js';
import type { RunbookPlan } from './RunbookPlan.js';
import type { RunbookRunReport, StepOutcome, StepResult } from './RunbookRunReport.js';

/** Options of {@link executeRunbook}. */
export interface ExecuteRunbookOptions {
  /** Apply the plan. Without it nothing changes and every pending step is reported `planned`. */
  readonly yes: boolean;
  /** Who runs it: the OS user locally, the signed-in principal on Azure. */
  readonly actor: string;
  /** The app acted on. */
  readonly app: string;
  readonly telemetry: TelemetrySink;
  readonly audit: RunbookAuditLog;
  /** The open incident, read after each step (a contain run opens one). @default none */
  readonly incidentId?: () => string | undefined;
  /** @default randomUUID() */
  readonly runId?: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * Called after each step with its result, before the next starts: progress output. If it throws,
   * the run stops there as if the process had been killed (tests use this to interrupt a run).
   */
  readonly onStep?: (result: StepResult, index: number) => void | Promise<void>;
}

const eventOutcome: Record<StepOutcome, RunbookActionEvent['outcome']> = {
  planned: 'planned',
  unchanged: 'unchanged',
  changed: 'success',
  checked: 'success',
  failed: 'failure',
};

/**
 * Runs a plan: shows it, refuses it whole when it carries refusals, and with `yes` applies each step
 * in order, confirming each by read-back. A step that fails stops the run; running the same
 * command again resumes, since completed steps then inspect as done and stay `unchanged`.
 *
 * Every run emits `RunbookAction` events to telemetry and the audit log: the plan, each step, and
 * the outcome of the run.
 */
export async function executeRunbook(
  plan: RunbookPlan,
  options: ExecuteRunbookOptions,
): Promise<RunbookRunReport> {
  const { clock = () => new Date(), runId = randomUUID(), incidentId = () => undefined } = options;
  const startedAt = clock();
  const record = async (
    fields: Omit<RunbookActionEvent, 'name' | 'runbook' | 'actor'>,
    steps?: readonly string[],
  ) => {
    const entry: Omit<RunbookActionEvent, 'name'> = {
      runbook: plan.runbook,
      actor: options.actor,
      app: options.app,
      runId,
      ...withIncident(incidentId()),
      ...fields,
    };
    options.telemetry.emit({ name: 'RunbookAction', ...entry });
    await options.audit.append({
      time: clock().toISOString(),
      ...entry,
      ...(steps ? { plan: steps } : {}),
    });
  };
  const summaries = plan.steps.map((step) => `${step.action} ${step.target}: ${step.summary}`);

  await record(
    {
      action: 'plan',
      outcome: 'planned',
      target: options.app,
      detail: `${options.yes ? 'apply' : 'plan only'}; ${summaries.length} step(s): ${summaries.join('; ')}`,
    },
    summaries,
  );

  const finish = async (
    outcome: RunbookRunReport['outcome'],
    steps: StepResult[],
  ): Promise<RunbookRunReport> => {
    await record({ action: 'run', outcome, target: options.app, detail: outcomeDetail(steps) });
    return {
      runbook: plan.runbook,
      runId,
      app: options.app,
      actor: options.actor,
      incidentId: incidentId(),
      outcome,
      steps,
      refusals: plan.refusals,
      manualActions: plan.manualActions,
      startedAt,
      finishedAt: clock(),
    };
  };

  if (plan.refusals.length > 0) {
    for (const refusal of plan.refusals) {
      await record({
        action: refusal.action,
        target: refusal.target,
        outcome: 'refused',
        detail: refusal.reason,
      });
    }
    return finish('refused', []);
  }

  const results: StepResult[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const result = await runStep(step, options.yes);
    results.push(result);
    await record({
      action: step.action,
      target: step.target,
      outcome: eventOutcome[result.outcome],
      detail: result.error ?? result.after ?? result.before ?? step.summary,
    });
    await options.onStep?.(result, index);
    if (result.outcome === 'failed') return finish('failure', results);
  }
  return finish(options.yes ? 'success' : 'planned', results);
}

async function runStep(step: RunbookPlan['steps'][number], yes: boolean): Promise<StepResult> {
  const base = { action: step.action, target: step.target, kind: step.kind, summary: step.summary };
  try {
    if (step.kind === 'check') {
      if (!yes) return { ...base, outcome: 'planned' };
      await step.apply();
      return { ...base, outcome: 'checked' };
    }

    const before = await step.inspect();
    if (before.done) {
      if (yes) await step.settle?.();
      return { ...base, outcome: 'unchanged', before: before.observed };
    }
    if (!yes) return { ...base, outcome: 'planned', before: before.observed };

    await step.apply();
    const after = await step.inspect();
    if (!after.done) throw new StepNotConfirmedError(step.action, step.target, after.observed);
    return { ...base, outcome: 'changed', before: before.observed, after: after.observed };
  } catch (error) {
    return { ...base, outcome: 'failed', error: messageOf(error) };
  }
}

function withIncident(incidentId: string | undefined): { incidentId?: string } {
  return incidentId === undefined ? {} : { incidentId };
}

function outcomeDetail(steps: readonly StepResult[]): string {
  const counts = new Map<string, number>();
  for (const { outcome } of steps) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ') || 'no steps';
}

// Step failures carry SealOpsError messages, built from typed arguments, or messages of Node and
// SDK errors about addresses and statuses; neither kind carries a key value.
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
