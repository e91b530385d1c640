import type { ArmResource } from './ArmTemplate.js';

/** The metric alert's threshold: more than this many 5xx answers within the window. */
export const serverErrorThreshold = 10;

/**
 * The app's error-rate alert as a `Microsoft.Insights/metricAlerts` resource: more than
 * {@link serverErrorThreshold} HTTP 5xx answers within 5 minutes, checked every minute, on the
 * Function App's own `Http5xx` metric (what callers actually received, counted by the front end).
 *
 * Not `requests/failed` of Application Insights: it never counts a 401, and the host marks a
 * request successful whenever the function completed, so the app's own 502 and 503 answers
 * (signing service down) would not count either; it moves only when the function crashes.
 * Refused callers are the failed-auth detections' business, not this alert's.
 */
export function renderServerErrorMetricAlert(): ArmResource {
  return {
    type: 'Microsoft.Insights/metricAlerts',
    apiVersion: '2018-03-01',
    name: "[concat(parameters('rulePrefix'), 'http-server-errors')]",
    location: 'global',
    tags: { 'sealops-detection': 'http-server-errors' },
    properties: {
      description:
        `More than ${serverErrorThreshold} HTTP 5xx answers from the Function App within 5 ` +
        'minutes (the Http5xx metric: what callers received, including the app’s own 502/503 ' +
        'when the signing service fails). Runbook: runbooks/investigate.md#seal-failures.',
      severity: 2,
      enabled: "[parameters('enabled')]",
      scopes: ["[parameters('functionAppResourceId')]"],
      evaluationFrequency: 'PT1M',
      windowSize: 'PT5M',
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion',
            name: 'server-errors',
            metricNamespace: 'Microsoft.Web/sites',
            metricName: 'Http5xx',
            timeAggregation: 'Total',
            operator: 'GreaterThan',
            threshold: serverErrorThreshold,
          },
        ],
      },
      autoMitigate: true,
      actions: "[variables('metricAlertActions')]",
    },
  };
}
