import type { ScheduledDetection } from '../DetectionDefinition.js';
import type { ArmResource, ArmTemplate, RenderWarning } from './ArmTemplate.js';
import { renderScheduledQueryRule } from './renderScheduledQueryRule.js';
import { renderServerErrorMetricAlert } from './renderServerErrorMetricAlert.js';

/**
 * Renders the detections as one ARM template: a scheduled query rule per detection that Azure
 * Monitor can express, and the server-error metric alert. Deployed to a resource group, the rules
 * watch the workspace even when the app (and so its alert timer) is down.
 *
 * Parameters: `workspaceResourceId` (the Log Analytics workspace the app's telemetry and HTTP logs
 * go to), `functionAppResourceId`, and optionally `actionGroupId`, `location`, `rulePrefix`,
 * `enabled`.
 */
export function renderAlertRulesTemplate(detections: readonly ScheduledDetection[]): {
  template: ArmTemplate;
  warnings: RenderWarning[];
} {
  const resources: ArmResource[] = [];
  const warnings: RenderWarning[] = [];
  for (const detection of detections) {
    const rendered = renderScheduledQueryRule(detection);
    if (rendered.resource) resources.push(rendered.resource);
    warnings.push(...rendered.warnings);
  }
  resources.push(renderServerErrorMetricAlert());

  return {
    template: {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      metadata: {
        generator: 'sealops detections render',
        detections: detections.map((detection) => detection.id),
      },
      parameters: {
        workspaceResourceId: {
          type: 'string',
          metadata: {
            description:
              'ARM ID of the Log Analytics workspace that receives the app telemetry (AppEvents) ' +
              'and the App Service HTTP logs (AppServiceHTTPLogs).',
          },
        },
        functionAppResourceId: {
          type: 'string',
          metadata: { description: 'ARM ID of the Function App, for the Http5xx metric alert.' },
        },
        actionGroupId: {
          type: 'string',
          defaultValue: '',
          metadata: { description: 'ARM ID of the action group to notify; empty for none.' },
        },
        location: {
          type: 'string',
          defaultValue: '[resourceGroup().location]',
          metadata: { description: 'Region of the log search alert rules.' },
        },
        rulePrefix: {
          type: 'string',
          defaultValue: 'sealops-',
          metadata: { description: 'Prefix of every rule name.' },
        },
        enabled: { type: 'bool', defaultValue: true },
      },
      variables: {
        actionGroups:
          "[if(empty(parameters('actionGroupId')), createArray(), " +
          "createArray(parameters('actionGroupId')))]",
        metricAlertActions:
          "[if(empty(parameters('actionGroupId')), createArray(), " +
          "createArray(createObject('actionGroupId', parameters('actionGroupId'))))]",
      },
      resources,
    },
    warnings,
  };
}
