import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { AlertWebhook } from '../../../lib/detections/AlertWebhook.js';
import type { AlertWebhookPayload } from '../../../lib/detections/AlertWebhookPayload.js';
import type {
  Containment,
  ContainmentOutcome,
  ContainmentRequest,
} from '../../../lib/detections/Containment.js';
import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import type { DetectionState } from '../../../lib/detections/DetectionState.js';
import type {
  DetectionStateStore,
  StoredDetectionState,
} from '../../../lib/detections/DetectionStateStore.js';
import type { TelemetryTables } from '../../../lib/detections/evaluateKql.js';
import { refusedRequestRows } from '../../support/httpLogRows.js';
import {
  evaluateDueDetections,
  type EvaluateDueDetectionsOptions,
} from '../../../lib/detections/evaluateDueDetections.js';
import { InMemoryDetectionStateStore } from '../../../lib/detections/InMemoryDetectionStateStore.js';
import { InMemoryLogQuerySource } from '../../../lib/detections/InMemoryLogQuerySource.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';
import type { LogQuerySource } from '../../../lib/detections/LogQuerySource.js';
import type { QueryResult } from '../../../lib/detections/QueryResult.js';
import { MemoryTelemetrySink } from '../../../lib/telemetry/MemoryTelemetrySink.js';
import { readNormalTraffic } from './detectionFixtures.js';

const scheduled = (await loadDetections()).filter(
  (definition): definition is ScheduledDetection => definition.kind === 'detection',
);
const burst = scheduled.find((definition) => definition.id === 'failed-auth-burst');
assert.ok(burst !== undefined, 'kql/failed-auth-burst exists');
const failedAuthBurst: ScheduledDetection = burst;

const at = (iso: string) => new Date(iso);

/** Runs one evaluation over `tables` at `now` with the given extras. */
function evaluate(
  tables: TelemetryTables,
  now: Date,
  extras: Partial<EvaluateDueDetectionsOptions> & { state: DetectionStateStore },
) {
  return evaluateDueDetections({
    detections: [failedAuthBurst],
    source: new InMemoryLogQuerySource(tables, { now: () => now }),
    now,
    sink: new MemoryTelemetrySink(),
    ...extras,
  });
}

describe('evaluateDueDetections', () => {
  it('raises one DetectionAlert naming the address for a burst of refused requests', async () => {
    const now = at('2025-03-01T12:00:00Z');
    const sink = new MemoryTelemetrySink();
    const state = new InMemoryDetectionStateStore();

    const evaluation = await evaluate(
      {
        AppServiceHTTPLogs: [
          ...refusedRequestRows('203.0.113.7', 12, now),
          ...refusedRequestRows('198.51.100.4', 3, now),
        ],
      },
      now,
      { state, sink },
    );

    assert.deepEqual(sink.events, [
      {
        name: 'DetectionAlert',
        detection: 'failed-auth-burst',
        severity: 'High',
        rowCount: 1,
        summary:
          'Burst of failed authentication from one address for ClientIp=203.0.113.7 (1 row): ' +
          'ClientIp=203.0.113.7, Failures=12, AppFailures=0, HttpFailures=12, ' +
          'Reasons=["http_401"], FirstSeen=2025-03-01T11:58:10.000Z, ' +
          'LastSeen=2025-03-01T12:00:00.000Z',
        alertKey: 'ClientIp=203.0.113.7',
        partial: false,
        runbook: 'runbooks/contain.md#block-addresses',
      },
    ]);
    assert.deepEqual(evaluation.ran, [
      { id: 'failed-auth-burst', outcome: 'success', alerts: 1, suppressed: 0 },
    ]);
    assert.deepEqual(state.current.suppressedUntil, {
      'failed-auth-burst|ClientIp=203.0.113.7': '2025-03-01T12:15:00.000Z',
    });
    assert.deepEqual(state.current.runs, {
      'failed-auth-burst': { at: '2025-03-01T12:00:00.000Z', outcome: 'success' },
    });
  });

  it('suppresses the same address within the window and raises it again once the window is over', async () => {
    const state = new InMemoryDetectionStateStore();
    const first = at('2025-03-01T12:00:00Z');
    const sink = new MemoryTelemetrySink();
    await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, first) }, first, {
      state,
      sink,
    });

    const inWindow = at('2025-03-01T12:01:00Z');
    const second = await evaluate(
      { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 20, inWindow) },
      inWindow,
      { state, sink },
    );
    assert.deepEqual(second.ran, [
      { id: 'failed-auth-burst', outcome: 'success', alerts: 0, suppressed: 1 },
    ]);
    assert.equal(sink.events.length, 1);

    const afterWindow = at('2025-03-01T12:15:00Z');
    const third = await evaluate(
      { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, afterWindow) },
      afterWindow,
      { state, sink },
    );
    assert.deepEqual(
      third.raised.map((alert) => alert.alertKey),
      ['ClientIp=203.0.113.7'],
    );
    assert.equal(sink.events.length, 2);
  });

  it('keeps suppression per address: a second address raises its own alert inside the first one’s window', async () => {
    const state = new InMemoryDetectionStateStore();
    const first = at('2025-03-01T12:00:00Z');
    await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, first) }, first, {
      state,
    });

    const later = at('2025-03-01T12:02:00Z');
    const evaluation = await evaluate(
      {
        AppServiceHTTPLogs: [
          ...refusedRequestRows('203.0.113.7', 12, later),
          ...refusedRequestRows('198.51.100.4', 10, later),
        ],
      },
      later,
      { state },
    );

    assert.deepEqual(
      evaluation.raised.map((alert) => alert.alertKey),
      ['ClientIp=198.51.100.4'],
    );
  });

  it('runs a detection once per queryFrequency slot, whatever the second within the minute', async () => {
    const state = new InMemoryDetectionStateStore();
    const tables = {
      AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, at('2025-03-01T12:00:00Z')),
    };
    await evaluate(tables, at('2025-03-01T12:00:00.400Z'), { state });

    const sameMinute = await evaluate(tables, at('2025-03-01T12:00:59.900Z'), { state });
    const nextMinute = await evaluate(tables, at('2025-03-01T12:01:00.100Z'), { state });

    assert.deepEqual(sameMinute.notDue, ['failed-auth-burst']);
    assert.deepEqual(sameMinute.ran, []);
    assert.deepEqual(nextMinute.notDue, []);
    assert.equal(nextMinute.ran.length, 1);
  });

  it('raises nothing on a day of ordinary traffic, with every detection in kql/', async () => {
    const traffic = await readNormalTraffic();
    const now = at(traffic.now);
    const sink = new MemoryTelemetrySink();

    const evaluation = await evaluateDueDetections({
      detections: scheduled,
      source: new InMemoryLogQuerySource(traffic.tables, { now: () => now }),
      now,
      state: new InMemoryDetectionStateStore(),
      sink,
    });

    assert.deepEqual(sink.events, []);
    assert.deepEqual(
      evaluation.ran.map((run) => [run.id, run.outcome]),
      scheduled.map((detection) => [detection.id, 'success']),
    );
  });

  it('logs a query that cannot run, raises nothing for it, and runs it again on the next tick', async () => {
    const state = new InMemoryDetectionStateStore();
    const logs: string[] = [];
    const failing: LogQuerySource = {
      query: () => Promise.reject(new Error('workspace unreachable')),
    };
    const now = at('2025-03-01T12:00:00Z');

    const evaluation = await evaluateDueDetections({
      detections: [failedAuthBurst],
      source: failing,
      now,
      state,
      sink: new MemoryTelemetrySink(),
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    const retry = await evaluate({}, at('2025-03-01T12:00:30Z'), { state });

    assert.deepEqual(evaluation.ran, [
      { id: 'failed-auth-burst', outcome: 'failed', alerts: 0, suppressed: 0 },
    ]);
    assert.deepEqual(logs, [
      'error: Detection failed-auth-burst could not run: workspace unreachable',
    ]);
    assert.deepEqual(
      retry.ran.map((run) => run.outcome),
      ['success'],
    );
  });

  describe('on a partial result', () => {
    const partial: QueryResult = {
      status: 'PartialFailure',
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'ClientIp', type: 'string' },
            { name: 'Failures', type: 'long' },
          ],
          rows: [['203.0.113.7', 11]],
        },
      ],
      partialError: { code: 'PartialError', message: 'Some shards did not answer.' },
    };
    const canned: LogQuerySource = { query: () => Promise.resolve(partial) };

    it('raises the alerts its rows show when the trigger is gt, marked partial, and retries next tick', async () => {
      const sink = new MemoryTelemetrySink();
      const logs: string[] = [];
      const state = new InMemoryDetectionStateStore();
      const now = at('2025-03-01T12:00:00Z');

      await evaluateDueDetections({
        detections: [failedAuthBurst],
        source: canned,
        now,
        state,
        sink,
        log: (level, message) => logs.push(`${level}: ${message}`),
      });

      assert.deepEqual(
        sink.events.map(
          (event) => event.name === 'DetectionAlert' && [event.alertKey, event.partial],
        ),
        [['ClientIp=203.0.113.7', true]],
      );
      assert.deepEqual(logs, [
        'warn: Detection failed-auth-burst got a partial result (PartialError: Some shards did ' +
          'not answer.); raising what its rows show, retrying next tick.',
      ]);
      assert.deepEqual(state.current.runs['failed-auth-burst'], {
        at: '2025-03-01T12:00:00.000Z',
        outcome: 'partial',
      });
    });

    it('raises nothing when the trigger is not gt, since missing rows could be what made it hold', async () => {
      const sink = new MemoryTelemetrySink();
      await evaluateDueDetections({
        detections: [{ ...failedAuthBurst, triggerOperator: 'lt', triggerThreshold: 5 }],
        source: canned,
        now: at('2025-03-01T12:00:00Z'),
        state: new InMemoryDetectionStateStore(),
        sink,
      });

      assert.deepEqual(sink.events, []);
    });
  });

  it('raises an alert once when another evaluation commits the same alert first', async () => {
    const now = at('2025-03-01T12:00:00Z');
    const inner = new InMemoryDetectionStateStore();
    // Another evaluation raises the same alert between this one's read and its first write.
    let raced = false;
    const racing: DetectionStateStore = {
      read: () => inner.read(),
      async write(state: DetectionState, etag: string | undefined) {
        const theirs: StoredDetectionState = await inner.read();
        if (!raced) {
          raced = true;
          await inner.write(
            {
              ...theirs.state,
              suppressedUntil: {
                'failed-auth-burst|ClientIp=203.0.113.7': '2025-03-01T12:15:00.000Z',
              },
            },
            etag,
          );
        }
        return inner.write(state, etag);
      },
    };
    const sink = new MemoryTelemetrySink();

    const evaluation = await evaluate(
      { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, now) },
      now,
      { state: racing, sink },
    );

    assert.deepEqual(sink.events, []);
    assert.deepEqual(evaluation.ran, [
      { id: 'failed-auth-burst', outcome: 'success', alerts: 0, suppressed: 1 },
    ]);
  });

  it('raises nothing and rejects with DETECTION_STATE_CONFLICT when the state keeps changing', async () => {
    const sink = new MemoryTelemetrySink();
    const inner = new InMemoryDetectionStateStore();
    const neverWins: DetectionStateStore = {
      read: () => inner.read(),
      write: () => Promise.resolve(false),
    };
    const now = at('2025-03-01T12:00:00Z');

    await assert.rejects(
      evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, now) }, now, {
        state: neverWins,
        sink,
        stateAttempts: 3,
      }),
      {
        code: 'DETECTION_STATE_CONFLICT',
        message:
          'The detection state changed under this run 3 times in a row, so no alert was raised; ' +
          'check that only one alert timer and no other tool writes sealops-detections/state.json.',
      },
    );
    assert.deepEqual(sink.events, []);
  });

  it('asks for containment of the alert’s address, and not again while the alert is suppressed', async () => {
    const requests: ContainmentRequest[] = [];
    const containment: Containment = {
      contain(request): Promise<ContainmentOutcome> {
        requests.push(request);
        return Promise.resolve({ outcome: 'success', detail: 'Blocked.' });
      },
    };
    const state = new InMemoryDetectionStateStore();
    const first = at('2025-03-01T12:00:00Z');
    const second = at('2025-03-01T12:01:00Z');

    await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, first) }, first, {
      state,
      containment,
    });
    await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, second) }, second, {
      state,
      containment,
    });

    assert.deepEqual(
      requests.map((request) => [request.detection.id, request.address, request.alertKey]),
      [['failed-auth-burst', '203.0.113.7', 'ClientIp=203.0.113.7']],
    );
  });

  it('keeps going when containment throws, and logs it', async () => {
    const logs: string[] = [];
    const sink = new MemoryTelemetrySink();
    const now = at('2025-03-01T12:00:00Z');

    await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, now) }, now, {
      state: new InMemoryDetectionStateStore(),
      sink,
      containment: { contain: () => Promise.reject(new Error('ARM is down')) },
      log: (level, message) => logs.push(`${level}: ${message}`),
    });

    assert.equal(sink.events.length, 1);
    assert.deepEqual(logs, ['error: Containment for failed-auth-burst failed: ARM is down']);
  });

  describe('with a webhook', () => {
    let server: Server;
    let url = '';
    const posts: AlertWebhookPayload[] = [];
    let status = 200;

    before(async () => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertWebhookPayload);
          response.writeHead(status).end(status === 200 ? 'ok' : 'no');
        });
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret`;
    });

    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('posts a Slack- and Teams-readable text with the alert as fields', async () => {
      posts.length = 0;
      status = 200;
      const now = at('2025-03-01T12:00:00Z');

      const evaluation = await evaluate(
        { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, now) },
        now,
        {
          state: new InMemoryDetectionStateStore(),
          webhook: new AlertWebhook(url),
          app: 'sealops-prod',
        },
      );

      assert.deepEqual(evaluation.webhooks, { delivered: 1, queued: 0 });
      assert.deepEqual(posts, [
        {
          text: [
            '[High] Burst of failed authentication from one address (sealops-prod)',
            'Detection failed-auth-burst fired for ClientIp=203.0.113.7 at ' +
              '2025-03-01T12:00:00.000Z: 1 row(s).',
            'ClientIp: 203.0.113.7, Failures: 12, AppFailures: 0, HttpFailures: 12, ' +
              'Reasons: ["http_401"], FirstSeen: 2025-03-01T11:58:10.000Z, ' +
              'LastSeen: 2025-03-01T12:00:00.000Z',
            'Runbook: runbooks/contain.md#block-addresses',
          ].join('\n\n'),
          sealops: {
            type: 'DetectionAlert',
            app: 'sealops-prod',
            detection: 'failed-auth-burst',
            title: 'Burst of failed authentication from one address',
            severity: 'High',
            alertKey: 'ClientIp=203.0.113.7',
            key: { ClientIp: '203.0.113.7' },
            rowCount: 1,
            rows: [
              {
                ClientIp: '203.0.113.7',
                Failures: '12',
                AppFailures: '0',
                HttpFailures: '12',
                Reasons: '["http_401"]',
                FirstSeen: '2025-03-01T11:58:10.000Z',
                LastSeen: '2025-03-01T12:00:00.000Z',
              },
            ],
            partial: false,
            raisedAt: '2025-03-01T12:00:00.000Z',
            runbook: 'runbooks/contain.md#block-addresses',
          },
        },
      ]);
    });

    it('keeps a post the webhook refused and delivers it on the next run, without raising twice', async () => {
      posts.length = 0;
      status = 503;
      const state = new InMemoryDetectionStateStore();
      const sink = new MemoryTelemetrySink();
      const logs: string[] = [];
      const webhook = new AlertWebhook(url);
      const first = at('2025-03-01T12:00:00Z');

      const failed = await evaluate(
        { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, first) },
        first,
        {
          state,
          sink,
          webhook,
          log: (level, message) => logs.push(`${level}: ${message}`),
        },
      );
      status = 200;
      const retried = await evaluate({}, at('2025-03-01T12:01:00Z'), { state, sink, webhook });

      assert.deepEqual(failed.webhooks, { delivered: 0, queued: 1 });
      assert.deepEqual(logs, [
        'warn: Alert webhook for failed-auth-burst: The alert webhook answered 503; the alert ' +
          'stays queued and is posted again on the next run.',
      ]);
      assert.deepEqual(retried.webhooks, { delivered: 1, queued: 0 });
      assert.equal(posts.length, 2);
      assert.deepEqual(posts[0], posts[1]);
      assert.equal(sink.events.length, 1);
      assert.deepEqual(state.current.pendingWebhooks, []);
    });

    it('gives up on a post after its last attempt, with an error log, and empties the queue', async () => {
      status = 500;
      const state = new InMemoryDetectionStateStore();
      const logs: string[] = [];
      const options = {
        state,
        webhook: new AlertWebhook(url),
        webhookAttempts: 2,
        log: (level: string, message: string) => logs.push(`${level}: ${message}`),
      };
      const first = at('2025-03-01T12:00:00Z');

      await evaluate(
        { AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, first) },
        first,
        options,
      );
      const last = await evaluate({}, at('2025-03-01T12:01:00Z'), options);

      assert.deepEqual(last.webhooks, { delivered: 0, queued: 0 });
      assert.equal(
        logs.at(-1),
        'error: Gave up posting the alert failed-auth-burst|ClientIp=203.0.113.7|' +
          '2025-03-01T12:00:00.000Z after 2 attempts.',
      );
      assert.deepEqual(state.current.pendingWebhooks, []);
    });

    it('never names the webhook URL when the webhook cannot be reached', async () => {
      const logs: string[] = [];
      const now = at('2025-03-01T12:00:00Z');
      await evaluate({ AppServiceHTTPLogs: refusedRequestRows('203.0.113.7', 12, now) }, now, {
        state: new InMemoryDetectionStateStore(),
        webhook: new AlertWebhook('http://127.0.0.1:1/hooks/T000/B000/secret'),
        log: (level, message) => logs.push(`${level}: ${message}`),
      });

      assert.deepEqual(logs, [
        'warn: Alert webhook for failed-auth-burst: The alert webhook could not be reached; the ' +
          'alert stays queued and is posted again on the next run.',
      ]);
    });
  });
});
