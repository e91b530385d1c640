import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadDetectionSettings } from '../../../lib/config/DetectionSettings.js';

describe('loadDetectionSettings', () => {
  it('defaults to no workspace, no webhook, containment off and loopback never blocked', () => {
    assert.deepEqual(loadDetectionSettings({}), {
      autoContain: false,
      containmentNeverBlock: ['127.0.0.0/8', '::1/128'],
      appName: 'sealops',
    });
  });

  it('reads the Azure settings, the storage account by identity and the app from the platform', () => {
    const settings = loadDetectionSettings({
      SEALOPS_LOG_WORKSPACE_ID: '3F1C2B4A-9D8E-4F70-8A6B-5C4D3E2F1A0B',
      SEALOPS_ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
      SEALOPS_AUTO_CONTAIN: 'TRUE',
      SEALOPS_CONTAINMENT_NEVER_BLOCK: '20.50.2.0/24, 2001:db8::/32,198.51.100.9',
      AzureWebJobsStorage__accountName: 'sealopsstore',
      WEBSITE_OWNER_NAME: '11111111-2222-4333-8444-555555555555+rg-sealops-WestEuropewebspace',
      WEBSITE_RESOURCE_GROUP: 'rg-sealops',
      WEBSITE_SITE_NAME: 'sealops-prod',
    });

    assert.deepEqual(settings, {
      logWorkspaceId: '3F1C2B4A-9D8E-4F70-8A6B-5C4D3E2F1A0B',
      alertWebhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
      autoContain: true,
      containmentNeverBlock: ['20.50.2.0/24', '2001:db8::/32', '198.51.100.9'],
      storage: { kind: 'identity', blobServiceUrl: 'https://sealopsstore.blob.core.windows.net' },
      azureApp: {
        subscriptionId: '11111111-2222-4333-8444-555555555555',
        resourceGroup: 'rg-sealops',
        appName: 'sealops-prod',
      },
      appName: 'sealops-prod',
    });
  });

  for (const [name, value, expectation] of [
    [
      'SEALOPS_LOG_WORKSPACE_ID',
      '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/law',
      "not a workspace ID (the GUID under the workspace's Properties, not its resource ID)",
    ],
    ['SEALOPS_ALERT_WEBHOOK_URL', 'http://hooks.example.com/x', 'not an https URL'],
    ['SEALOPS_AUTO_CONTAIN', 'yes', 'neither true nor false'],
    [
      'SEALOPS_CONTAINMENT_NEVER_BLOCK',
      '10.0.0.0/33',
      'not a comma-separated list of IP addresses and CIDR ranges',
    ],
  ] as const) {
    it(`names ${name} when it is malformed, never its value`, () => {
      assert.throws(() => loadDetectionSettings({ [name]: value }), {
        code: 'CONFIGURATION_ERROR',
        message: `The app setting ${name} is ${expectation}; an operator must fix the configuration.`,
      });
    });
  }

  it('takes a plain HTTP webhook on loopback, for the local stack and tests', () => {
    assert.equal(
      loadDetectionSettings({ SEALOPS_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9000/hook' })
        .alertWebhookUrl,
      'http://127.0.0.1:9000/hook',
    );
  });
});
