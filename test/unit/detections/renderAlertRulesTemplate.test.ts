import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { renderAlertRulesTemplate } from '../../../lib/detections/arm/renderAlertRulesTemplate.js';
import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import {
  defaultDetectionsDirectory,
  loadDetections,
} from '../../../lib/detections/loadDetections.js';

const detections = (await loadDetections()).filter(
  (definition): definition is ScheduledDetection => definition.kind === 'detection',
);
const { template, warnings } = renderAlertRulesTemplate(detections);
const resourceNamed = (id: string) =>
  template.resources.find(
    (resource) => resource.name === `[concat(parameters('rulePrefix'), '${id}')]`,
  );

describe('renderAlertRulesTemplate', () => {
  it('renders one scheduled query rule per detection and the server-error metric alert', () => {
    assert.deepEqual(
      template.resources.map((resource) => [resource.type, resource.tags?.['sealops-detection']]),
      [
        ...detections.map((detection) => ['Microsoft.Insights/scheduledQueryRules', detection.id]),
        ['Microsoft.Insights/metricAlerts', 'http-server-errors'],
      ],
    );
    assert.deepEqual(Object.keys(template.parameters), [
      'workspaceResourceId',
      'functionAppResourceId',
      'actionGroupId',
      'location',
      'rulePrefix',
      'enabled',
    ]);
  });

  it('keeps the query as it is and maps the schedule, trigger, groups, severity and suppression', async () => {
    const query = await readFile(`${defaultDetectionsDirectory}failed-auth-burst.kql`, 'utf8');

    assert.deepEqual(resourceNamed('failed-auth-burst'), {
      type: 'Microsoft.Insights/scheduledQueryRules',
      apiVersion: '2021-08-01',
      name: "[concat(parameters('rulePrefix'), 'failed-auth-burst')]",
      location: "[parameters('location')]",
      kind: 'LogAlert',
      tags: { 'sealops-detection': 'failed-auth-burst' },
      properties: {
        displayName: 'sealops: Burst of failed authentication from one address',
        description:
          detections.find((detection) => detection.id === 'failed-auth-burst')?.description +
          ' Runbook: runbooks/contain.md#block-addresses.',
        severity: 1,
        enabled: "[parameters('enabled')]",
        scopes: ["[parameters('workspaceResourceId')]"],
        evaluationFrequency: 'PT1M',
        windowSize: 'PT5M',
        criteria: {
          allOf: [
            {
              query,
              timeAggregation: 'Count',
              dimensions: [{ name: 'ClientIp', operator: 'Include', values: ['*'] }],
              operator: 'GreaterThan',
              threshold: 0,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        muteActionsDuration: 'PT15M',
        autoMitigate: false,
        actions: {
          actionGroups: "[variables('actionGroups')]",
          customProperties: {
            detection: 'failed-auth-burst',
            runbook: 'runbooks/contain.md#block-addresses',
          },
        },
      },
    });
  });

  it('maps Medium to severity 2 and renders a rule without groups with no dimensions', () => {
    const rule = resourceNamed('seal-error-rate');
    const criteria = rule?.properties.criteria as { allOf: { dimensions: unknown[] }[] };

    assert.equal(rule?.properties.severity, 2);
    assert.deepEqual(criteria.allOf[0]?.dimensions, []);
  });

  it('shortens the 14-day detections to the two days a log search alert allows, and says so', () => {
    const long = detections.filter((detection) => detection.queryPeriod === 'P14D');

    assert.deepEqual(
      long.map((detection) => resourceNamed(detection.id)?.properties.windowSize),
      long.map(() => 'P2D'),
    );
    assert.match(
      String(resourceNamed('unknown-key-id')?.properties.description),
      /query period shortened from P14D to P2D, so older history is not seen/,
    );
    assert.deepEqual(
      warnings.map((warning) => warning.detection),
      long.map((detection) => detection.id),
    );
  });

  it('renders the error-rate alert on the Http5xx metric, not requests/failed', () => {
    const alert = template.resources.at(-1);

    assert.deepEqual(alert?.properties.criteria, {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria',
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion',
          name: 'server-errors',
          metricNamespace: 'Microsoft.Web/sites',
          metricName: 'Http5xx',
          timeAggregation: 'Total',
          operator: 'GreaterThan',
          threshold: 10,
        },
      ],
    });
    assert.deepEqual(alert?.properties.scopes, ["[parameters('functionAppResourceId')]"]);
    assert.equal(alert?.properties.windowSize, 'PT5M');
    assert.equal(alert?.properties.evaluationFrequency, 'PT1M');
  });

  it('leaves out a not-equal trigger, which Azure Monitor cannot express, with a warning', () => {
    const [first] = detections;
    assert.ok(first);
    const rendered = renderAlertRulesTemplate([{ ...first, triggerOperator: 'ne' }]);

    assert.deepEqual(
      rendered.template.resources.map((resource) => resource.type),
      ['Microsoft.Insights/metricAlerts'],
    );
    assert.deepEqual(rendered.warnings, [
      {
        detection: first.id,
        message:
          'Azure Monitor has no not-equal condition; no rule was rendered, the timer still runs it.',
      },
    ]);
  });
});
