import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { AccessToken, TokenCredential } from '@azure/identity';

import { deployAlertRules } from '../../../lib/azure/deployAlertRules.js';
import { renderAlertRulesTemplate } from '../../../lib/detections/arm/renderAlertRulesTemplate.js';
import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/ensureLocalTls.js';

const subscriptionId = '11111111-2222-4333-8444-555555555555';
const deploymentPath =
  `/subscriptions/${subscriptionId}/resourcegroups/rg-sealops/providers/` +
  'Microsoft.Resources/deployments/sealops-alert-rules';

const credential: TokenCredential = {
  getToken: () =>
    Promise.resolve({
      token: 'arm-test-token',
      expiresOnTimestamp: Date.now() + 3_600_000,
    } satisfies AccessToken),
};

interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { properties?: { mode?: string; template?: unknown; parameters?: unknown } };
}

const { template } = renderAlertRulesTemplate(
  (await loadDetections()).filter(
    (definition): definition is ScheduledDetection => definition.kind === 'detection',
  ),
);

describe('deployAlertRules', () => {
  let dir: string;
  let tls: LocalTls;
  let server: Server;
  const received: Received[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };

  const parameters = {
    workspaceResourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law`,
    functionAppResourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-sealops/providers/Microsoft.Web/sites/sealops`,
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-arm-deploy-'));
    tls = await ensureLocalTls(dir);
    server = createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'https://127.0.0.1');
        received.push({
          method: request.method ?? '',
          path: url.pathname,
          authorization: request.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Received['body'],
        });
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const deploy = () =>
    deployAlertRules(
      { subscriptionId, resourceGroup: 'rg-sealops' },
      template,
      parameters,
      credential,
      {
        endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        tlsOptions: { ca: tls.caPem },
        retryOptions: { maxRetries: 0 },
      },
    );

  it('puts the template as an Incremental deployment with the parameters as values', async () => {
    received.length = 0;
    answer = {
      status: 200,
      body: {
        id: deploymentPath,
        name: 'sealops-alert-rules',
        properties: {
          provisioningState: 'Succeeded',
          outputResources: [
            {
              id: `/subscriptions/${subscriptionId}/resourceGroups/rg-sealops/providers/Microsoft.Insights/scheduledQueryRules/sealops-failed-auth-burst`,
            },
          ],
        },
      },
    };

    const deployment = await deploy();

    assert.deepEqual(deployment, {
      deploymentName: 'sealops-alert-rules',
      provisioningState: 'Succeeded',
      resourceIds: [
        `/subscriptions/${subscriptionId}/resourceGroups/rg-sealops/providers/Microsoft.Insights/scheduledQueryRules/sealops-failed-auth-burst`,
      ],
    });
    const [put] = received;
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.path, deploymentPath);
    assert.equal(put?.authorization, 'Bearer arm-test-token');
    assert.equal(put?.body.properties?.mode, 'Incremental');
    assert.deepEqual(put?.body.properties?.template, template);
    assert.deepEqual(put?.body.properties?.parameters, {
      workspaceResourceId: { value: parameters.workspaceResourceId },
      functionAppResourceId: { value: parameters.functionAppResourceId },
    });
  });

  it('rejects with ALERT_RULES_DEPLOYMENT_FAILED naming ARM’s code when the template is refused', async () => {
    answer = {
      status: 400,
      body: {
        error: {
          code: 'InvalidTemplate',
          message: 'The template resource sealops-seal-error-rate is not valid.',
        },
      },
    };

    await assert.rejects(deploy(), {
      code: 'ALERT_RULES_DEPLOYMENT_FAILED',
      message:
        'The deployment sealops-alert-rules to resource group rg-sealops was answered 400 ' +
        '(InvalidTemplate: The template resource sealops-seal-error-rate is not valid.); check ' +
        'the parameters and that the identity may deploy there (Monitoring Contributor).',
    });
  });
});
