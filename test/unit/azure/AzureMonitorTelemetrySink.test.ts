import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import type { AppEvent } from '../../../lib/telemetry/events.js';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/ensureLocalTls.js';

/** One telemetry item as the Application Insights ingestion endpoint receives it. */
interface Envelope {
  readonly name: string;
  readonly iKey: string;
  readonly tags: Record<string, string>;
  readonly data: {
    readonly baseType: string;
    readonly baseData: { readonly name?: string; readonly properties?: Record<string, string> };
  };
}

const sinkModule = new URL('../../../lib/azure/AzureMonitorTelemetrySink.js', import.meta.url).href;
const instrumentationKey = '00000000-0000-4000-8000-000000000001';

const events: AppEvent[] = [
  {
    name: 'ApiAuthFailure',
    reason: 'container_not_allowed',
    statusCode: 403,
    functionName: 'seal-pdf',
    clientIp: '203.0.113.7',
  },
  {
    name: 'DetectionAlert',
    detection: 'failed-auth-burst',
    severity: 'High',
    rowCount: 1,
    summary: 'Burst of failed authentication from one address for ClientIp=203.0.113.7',
    alertKey: 'ClientIp=203.0.113.7',
    partial: false,
    runbook: 'runbooks/contain.md#block-addresses',
  },
];

/**
 * Emits `events` through the sink in a child process and waits for it to flush and exit. A child
 * because the distro installs process-wide providers and patches modules, and because
 * NODE_EXTRA_CA_CERTS (how the exporter is made to trust the local endpoint) is read at start-up.
 */
async function emitInChild(tls: LocalTls, endpoint: string): Promise<string> {
  const script = `
    const { AzureMonitorTelemetrySink } = await import(${JSON.stringify(sinkModule)});
    const { shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
    const sink = new AzureMonitorTelemetrySink(process.env.CONNECTION);
    for (const event of JSON.parse(process.env.EVENTS)) sink.emit(event);
    await shutdownAzureMonitor();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('../../../../', import.meta.url).pathname,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: tls.caPath,
      CONNECTION:
        `InstrumentationKey=${instrumentationKey};` +
        `IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`,
      EVENTS: JSON.stringify(events),
      // As on Azure Functions: the resource detector then skips the Azure VM metadata probe.
      WEBSITE_SITE_NAME: 'sealops-test',
      FUNCTIONS_EXTENSION_VERSION: '~4',
      // Keep the SDK's own usage statistics, sent to Microsoft's endpoints, off the network.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, output);
  return output;
}

describe('AzureMonitorTelemetrySink', () => {
  let dir: string;
  let tls: LocalTls;
  let server: Server;
  const envelopes: Envelope[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-appinsights-'));
    tls = await ensureLocalTls(dir);
    server = createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (request.url?.startsWith('/v2.1/track')) {
          envelopes.push(...(JSON.parse(body.toString('utf8')) as Envelope[]));
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
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

  it('delivers each event as a custom event named after it, with every field as a string property', async () => {
    const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    await emitInChild(tls, endpoint);

    const customEvents = envelopes.filter((envelope) => envelope.data.baseType === 'EventData');
    assert.deepEqual(
      customEvents.map((envelope) => ({
        envelope: envelope.name,
        iKey: envelope.iKey,
        role: envelope.tags['ai.cloud.role'],
        name: envelope.data.baseData.name,
        properties: envelope.data.baseData.properties,
      })),
      [
        {
          envelope: 'Microsoft.ApplicationInsights.Event',
          iKey: instrumentationKey,
          role: 'sealops-test',
          name: 'ApiAuthFailure',
          properties: {
            reason: 'container_not_allowed',
            statusCode: '403',
            functionName: 'seal-pdf',
            clientIp: '203.0.113.7',
          },
        },
        {
          envelope: 'Microsoft.ApplicationInsights.Event',
          iKey: instrumentationKey,
          role: 'sealops-test',
          name: 'DetectionAlert',
          properties: {
            detection: 'failed-auth-burst',
            severity: 'High',
            rowCount: '1',
            summary: 'Burst of failed authentication from one address for ClientIp=203.0.113.7',
            alertKey: 'ClientIp=203.0.113.7',
            partial: 'false',
            runbook: 'runbooks/contain.md#block-addresses',
          },
        },
      ],
    );
  });
});
