import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { AccessToken, TokenCredential } from '@azure/identity';

import { MonitorLogQuerySource } from '../../../lib/azure/MonitorLogQuerySource.js';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/ensureLocalTls.js';

const workspaceId = '3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly prefer: string | undefined;
  readonly body: unknown;
}

/** A loopback HTTPS server answering like the Log Analytics query API: the next canned answer. */
class LogAnalyticsStandIn {
  readonly received: Received[] = [];
  answer: { status: number; body: unknown } = { status: 200, body: { tables: [] } };
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(tls: LocalTls): Promise<LogAnalyticsStandIn> {
    const server = createServer({ cert: tls.certPem, key: tls.keyPem });
    const standIn = new LogAnalyticsStandIn(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        standIn.received.push({
          method: request.method ?? '',
          path: request.url ?? '',
          authorization: request.headers.authorization,
          prefer: request.headers.prefer as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown,
        });
        response.writeHead(standIn.answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(standIn.answer.body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return standIn;
  }

  get endpoint(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const credential: TokenCredential = {
  getToken: () =>
    Promise.resolve({
      token: 'test-token',
      expiresOnTimestamp: Date.now() + 3_600_000,
    } satisfies AccessToken),
};

describe('MonitorLogQuerySource', () => {
  let dir: string;
  let standIn: LogAnalyticsStandIn;
  let source: MonitorLogQuerySource;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-monitor-'));
    const tls = await ensureLocalTls(dir);
    standIn = await LogAnalyticsStandIn.start(tls);
    source = new MonitorLogQuerySource(workspaceId, credential, {
      endpoint: standIn.endpoint,
      tlsOptions: { ca: tls.caPem },
      retryOptions: { maxRetries: 0 },
    });
  });

  after(async () => {
    await standIn?.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    standIn.received.length = 0;
  });

  it('posts the query and its time range to the workspace with a bearer token and a server timeout', async () => {
    standIn.answer = { status: 200, body: { tables: [] } };
    const endTime = new Date('2025-03-01T12:00:00Z');

    await source.query('AppEvents | take 1', { duration: 'PT5M', endTime });

    assert.deepEqual(standIn.received, [
      {
        method: 'POST',
        path: `/v1/workspaces/${workspaceId}/query`,
        authorization: 'Bearer test-token',
        prefer: 'wait=60',
        body: { query: 'AppEvents | take 1', timespan: 'PT5M/2025-03-01T12:00:00.000Z' },
      },
    ]);
  });

  it('maps a successful answer to tables with Dates for datetimes and parsed JSON for dynamic columns', async () => {
    standIn.answer = {
      status: 200,
      body: {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [
              { name: 'ClientIp', type: 'string' },
              { name: 'Failures', type: 'long' },
              { name: 'Reasons', type: 'dynamic' },
              { name: 'LastSeen', type: 'datetime' },
            ],
            rows: [['203.0.113.7', 12, '["http_401"]', '2025-03-01T11:59:30Z']],
          },
        ],
      },
    };

    const result = await source.query('q', { duration: 'PT5M' });

    assert.deepEqual(result, {
      status: 'Success',
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'ClientIp', type: 'string' },
            { name: 'Failures', type: 'long' },
            { name: 'Reasons', type: 'dynamic' },
            { name: 'LastSeen', type: 'datetime' },
          ],
          rows: [['203.0.113.7', 12, ['http_401'], new Date('2025-03-01T11:59:30Z')]],
        },
      ],
    });
  });

  it('returns a partial failure as a result carrying the rows that came back and the error', async () => {
    standIn.answer = {
      status: 200,
      body: {
        tables: [
          {
            name: 'PrimaryResult',
            columns: [{ name: 'KeyId', type: 'string' }],
            rows: [['key-1']],
          },
        ],
        error: {
          code: 'PartialError',
          message: 'There were some errors when processing your query.',
        },
      },
    };

    const result = await source.query('q', { duration: 'PT1H' });

    assert.deepEqual(result, {
      status: 'PartialFailure',
      tables: [
        {
          name: 'PrimaryResult',
          columns: [{ name: 'KeyId', type: 'string' }],
          rows: [['key-1']],
        },
      ],
      partialError: {
        code: 'PartialError',
        message: 'There were some errors when processing your query.',
      },
    });
  });

  it('rejects with LOG_QUERY_FAILED naming the status and the service error when the query cannot run', async () => {
    standIn.answer = {
      status: 400,
      body: {
        error: {
          code: 'BadArgumentError',
          message: "Failed to resolve table expression named 'requests'",
        },
      },
    };

    await assert.rejects(source.query('requests', { duration: 'PT1H' }), {
      name: 'LogQueryFailedError',
      code: 'LOG_QUERY_FAILED',
      message:
        `Log Analytics workspace ${workspaceId} answered 400 BadArgumentError to a detection ` +
        "query (Failed to resolve table expression named 'requests'); check the workspace ID and " +
        'that the identity has Log Analytics Reader on it.',
    });
  });
});
