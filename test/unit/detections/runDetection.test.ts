import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import type { LogQuerySource, QueryTimespan } from '../../../lib/detections/LogQuerySource.js';
import type { QueryResult } from '../../../lib/detections/QueryResult.js';
import { runDetection, triggerHolds } from '../../../lib/detections/runDetection.js';

const detection: ScheduledDetection = {
  id: 'probe',
  title: 'Probe',
  description: 'A detection for the tests.',
  severity: 'High',
  kind: 'detection',
  tables: ['AppServiceHTTPLogs'],
  queryFrequency: 'PT1M',
  queryPeriod: 'PT5M',
  triggerOperator: 'gt',
  triggerThreshold: 0,
  suppression: 'PT15M',
  runbook: 'runbooks/contain.md#block-addresses',
  groupBy: ['ClientIp', 'Window'],
  query: 'AppServiceHTTPLogs',
};

/** A source that answers every query with one canned result and records what it was asked. */
class CannedSource implements LogQuerySource {
  readonly asked: { query: string; timespan: QueryTimespan }[] = [];
  constructor(readonly result: QueryResult) {}
  query(query: string, timespan: QueryTimespan): Promise<QueryResult> {
    this.asked.push({ query, timespan });
    return Promise.resolve(this.result);
  }
}

const window = new Date('2025-03-01T12:00:00Z');
const result: QueryResult = {
  status: 'Success',
  tables: [
    {
      name: 'PrimaryResult',
      columns: [
        { name: 'ClientIp', type: 'string' },
        { name: 'Window', type: 'datetime' },
        { name: 'Failures', type: 'long' },
      ],
      rows: [
        ['203.0.113.7', window, 12],
        ['2001:db8::1', window, 10],
        ['203.0.113.7', window, 3],
      ],
    },
  ],
};

describe('runDetection', () => {
  it('runs the query over the query period and groups the rows into one alert per groupBy values', async () => {
    const source = new CannedSource(result);
    const run = await runDetection(detection, source);

    assert.deepEqual(source.asked, [
      { query: 'AppServiceHTTPLogs', timespan: { duration: 'PT5M' } },
    ]);
    assert.equal(run.fired, true);
    assert.deepEqual(
      run.alerts.map((alert) => [
        alert.keyText,
        alert.key,
        alert.rows.map((row) => row['Failures']),
      ]),
      [
        [
          'ClientIp=203.0.113.7&Window=2025-03-01T12%3A00%3A00.000Z',
          { ClientIp: '203.0.113.7', Window: '2025-03-01T12:00:00.000Z' },
          [12, 3],
        ],
        [
          'ClientIp=2001%3Adb8%3A%3A1&Window=2025-03-01T12%3A00%3A00.000Z',
          { ClientIp: '2001:db8::1', Window: '2025-03-01T12:00:00.000Z' },
          [10],
        ],
      ],
    );
  });

  it('ends the window where asked', async () => {
    const source = new CannedSource(result);
    await runDetection(detection, source, { endTime: window });
    assert.deepEqual(source.asked[0]?.timespan, { duration: 'PT5M', endTime: window });
  });

  it('raises no alert when the trigger does not hold, and keeps the rows for the record', async () => {
    const run = await runDetection({ ...detection, triggerThreshold: 3 }, new CannedSource(result));
    assert.equal(run.fired, false);
    assert.deepEqual(run.alerts, []);
    assert.equal(run.table.rows.length, 3);
  });

  it('keeps a partial failure in the run and still judges the rows that came back', async () => {
    const partial: QueryResult = {
      status: 'PartialFailure',
      tables: result.tables,
      partialError: { code: 'PartialError', message: 'Query exceeded the row limit.' },
    };
    const run = await runDetection(detection, new CannedSource(partial));
    assert.equal(run.result.status, 'PartialFailure');
    assert.equal(run.fired, true);
  });

  it('makes one alert of all rows when groupBy is empty', async () => {
    const run = await runDetection({ ...detection, groupBy: [] }, new CannedSource(result));
    assert.deepEqual(
      run.alerts.map((alert) => [alert.keyText, alert.key, alert.rows.length]),
      [['', {}, 3]],
    );
  });
});

describe('triggerHolds', () => {
  it('compares the row count with the threshold as Sentinel rules do', () => {
    assert.equal(triggerHolds('gt', 1, 0), true);
    assert.equal(triggerHolds('gt', 0, 0), false);
    assert.equal(triggerHolds('lt', 0, 1), true);
    assert.equal(triggerHolds('eq', 2, 2), true);
    assert.equal(triggerHolds('ne', 2, 2), false);
  });
});
