import type { RunbookRunReport, StepResult } from '../../lib/runbooks/RunbookRunReport.js';

const labels: Record<StepResult['outcome'], string> = {
  planned: 'would do ',
  unchanged: 'unchanged',
  changed: 'changed  ',
  checked: 'passed   ',
  failed: 'FAILED   ',
};

/** One line per step, as it is printed while the run goes. */
export function formatStep(result: StepResult): string {
  const state =
    result.outcome === 'changed'
      ? ` (was: ${result.before ?? '?'}; now: ${result.after ?? '?'})`
      : result.outcome === 'failed'
        ? `\n      ${result.error ?? ''}`
        : result.before !== undefined
          ? ` (now: ${result.before})`
          : '';
  return `  [${labels[result.outcome]}] ${result.action} ${result.target}: ${result.summary}${state}`;
}

/** The header printed before the steps. */
export function formatHeader(
  report: Pick<RunbookRunReport, 'runbook' | 'app' | 'actor' | 'runId'>,
  kind: string,
  yes: boolean,
): string[] {
  return [
    `sealops ${report.runbook}: app ${report.app} (${kind}), run ${report.runId}, by ${report.actor}`,
    yes ? 'Applying:' : 'Plan (nothing changes without --yes):',
  ];
}

/** What follows the steps: refusals, manual actions, the outcome and where the audit went. */
export function formatFooter(report: RunbookRunReport, auditPath: string): string[] {
  const lines: string[] = [];
  if (report.refusals.length > 0) {
    lines.push('', 'Refused, so nothing was changed:');
    for (const refusal of report.refusals) {
      lines.push(`  - ${refusal.action} ${refusal.target}: ${refusal.reason}`);
    }
  }
  if (report.manualActions.length > 0) {
    lines.push('', 'For a person to do:');
    for (const action of report.manualActions) lines.push(`  - ${action}`);
  }
  const counts = new Map<string, number>();
  for (const step of report.steps) counts.set(step.outcome, (counts.get(step.outcome) ?? 0) + 1);
  const tally =
    [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ') || 'no steps';
  lines.push(
    '',
    `Outcome: ${report.outcome} (${tally})${report.incidentId ? `, incident ${report.incidentId}` : ''}.`,
    `Audit: ${auditPath}`,
  );
  if (report.outcome === 'planned' && report.steps.some((step) => step.outcome === 'planned')) {
    lines.push('Run the same command with --yes to apply it.');
  }
  return lines;
}
