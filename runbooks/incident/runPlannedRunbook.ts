import { randomUUID } from 'node:crypto';

import type { ContainmentJournal } from '../../lib/runbooks/ContainmentJournal.js';
import { executeRunbook } from '../../lib/runbooks/executeRunbook.js';
import type { RunbookPlan } from '../../lib/runbooks/RunbookPlan.js';
import type { RunbookRunReport } from '../../lib/runbooks/RunbookRunReport.js';
import { CommandError } from '../CommandError.js';
import type { CommandIo } from './CommandIo.js';
import { formatFooter, formatHeader, formatStep } from './printRunbookReport.js';
import type { RunbookTarget } from './RunbookTarget.js';

/**
 * Shows or applies a plan on the target, printing each step as it finishes, then the outcome.
 * Throws {@link CommandError} with exit code 3 when the plan was refused and 1 when a step failed,
 * after printing why.
 */
export async function runPlannedRunbook(
  plan: RunbookPlan,
  target: RunbookTarget,
  journal: ContainmentJournal,
  flags: { readonly yes: boolean; readonly json: boolean },
  io: CommandIo,
): Promise<RunbookRunReport> {
  const runId = randomUUID();
  if (!flags.json) {
    const header = { runbook: plan.runbook, app: target.app, actor: target.actor, runId };
    for (const line of formatHeader(header, target.kind, flags.yes)) io.print(line);
  }

  const report = await executeRunbook(plan, {
    yes: flags.yes,
    actor: target.actor,
    app: target.app,
    runId,
    telemetry: target.telemetry,
    audit: target.audit,
    incidentId: () => journal.open?.incidentId ?? journal.latest?.incidentId,
    onStep: async (result, index) => {
      if (!flags.json) io.print(formatStep(result));
      await io.afterStep?.(result, index);
    },
  });

  if (flags.json) io.print(JSON.stringify(report, null, 2));
  else for (const line of formatFooter(report, target.audit.path)) io.print(line);

  if (report.outcome === 'refused') {
    throw new CommandError('refused: nothing was changed (the reasons are above).', 3);
  }
  if (report.outcome === 'failure') {
    const failed = report.steps.find((step) => step.outcome === 'failed');
    throw new CommandError(
      `step ${failed?.action ?? '?'} ${failed?.target ?? ''} failed; the steps before it are done. ` +
        'Fix the cause and run the same command again to finish.',
      1,
    );
  }
  return report;
}
