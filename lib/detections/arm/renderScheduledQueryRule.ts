import type { DetectionSeverity, ScheduledDetection } from '../DetectionDefinition.js';
import { isoDurationToMilliseconds } from '../isoDuration.js';
import type { ArmResource, RenderWarning } from './ArmTemplate.js';

/**
 * The longest query time range (`windowSize`) a log search alert rule takes: two days, as
 * Microsoft documents the limit for log search alerts. Not checked against a live subscription.
 */
export const maxLogAlertWindow = 'P2D';

/** Azure Monitor severities: 0 is critical; the detections use 1 to 4. */
const armSeverity: Record<DetectionSeverity, number> = {
  High: 1,
  Medium: 2,
  Low: 3,
  Informational: 4,
};

const armOperator = {
  gt: 'GreaterThan',
  lt: 'LessThan',
  eq: 'Equals',
} as const;

/**
 * Renders a detection as a `Microsoft.Insights/scheduledQueryRules` resource (api-version
 * 2021-08-01) scoped to the Log Analytics workspace, since the queries read workspace tables.
 * The query is kept as it is; the condition counts result rows per `groupBy` values (one
 * dimension each), so Azure Monitor raises one alert per address or key as the timer does, and
 * `muteActionsDuration` plays the part of the suppression window.
 *
 * Returns undefined for a detection Azure Monitor cannot express (`ne` triggers), with a warning;
 * a query period beyond {@link maxLogAlertWindow} is shortened to it, with a warning saying what
 * the rule then misses.
 */
export function renderScheduledQueryRule(detection: ScheduledDetection): {
  resource?: ArmResource;
  warnings: RenderWarning[];
} {
  const warnings: RenderWarning[] = [];
  const warn = (message: string) => warnings.push({ detection: detection.id, message });
  if (detection.triggerOperator === 'ne') {
    warn(
      'Azure Monitor has no not-equal condition; no rule was rendered, the timer still runs it.',
    );
    return { warnings };
  }

  let windowSize = detection.queryPeriod;
  let note = '';
  if (
    (isoDurationToMilliseconds(windowSize) ?? 0) >
    (isoDurationToMilliseconds(maxLogAlertWindow) ?? 0)
  ) {
    windowSize = maxLogAlertWindow;
    note =
      ` Azure Monitor rule: query period shortened from ${detection.queryPeriod} to ` +
      `${maxLogAlertWindow}, so older history is not seen (the in-app timer keeps ` +
      `${detection.queryPeriod}).`;
    warn(
      `query period ${detection.queryPeriod} is longer than a log search alert allows; the rule ` +
        `looks back ${maxLogAlertWindow} only, so what depends on older history (an earlier ` +
        'deactivation or publication) is judged without it.',
    );
  }
  if (detection.triggerThreshold !== 0 && detection.groupBy.length > 0) {
    warn(
      'Azure Monitor compares the threshold with the rows of each group, the timer with all ' +
        'rows; the rule may fire less often.',
    );
  }

  return {
    resource: {
      type: 'Microsoft.Insights/scheduledQueryRules',
      apiVersion: '2021-08-01',
      name: `[concat(parameters('rulePrefix'), '${detection.id}')]`,
      location: "[parameters('location')]",
      kind: 'LogAlert',
      tags: { 'sealops-detection': detection.id },
      properties: {
        displayName: `sealops: ${detection.title}`,
        description:
          `${detection.description}` +
          `${detection.runbook ? ` Runbook: ${detection.runbook}.` : ''}${note}`,
        severity: armSeverity[detection.severity],
        enabled: "[parameters('enabled')]",
        scopes: ["[parameters('workspaceResourceId')]"],
        evaluationFrequency: detection.queryFrequency,
        windowSize,
        criteria: {
          allOf: [
            {
              query: detection.query,
              timeAggregation: 'Count',
              dimensions: detection.groupBy.map((column) => ({
                name: column,
                operator: 'Include',
                values: ['*'],
              })),
              operator: armOperator[detection.triggerOperator],
              threshold: detection.triggerThreshold,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        // Actions stay quiet for the suppression window; alerts are resolved by hand, as the
        // service requires when actions are muted.
        muteActionsDuration: detection.suppression,
        autoMitigate: false,
        actions: {
          actionGroups: "[variables('actionGroups')]",
          customProperties: {
            detection: detection.id,
            ...(detection.runbook ? { runbook: detection.runbook } : {}),
          },
        },
      },
    },
    warnings,
  };
}
