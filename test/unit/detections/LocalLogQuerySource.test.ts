import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import { InvalidQueryTimespanError } from '../../../lib/detections/errors/InvalidQueryTimespanError.js';
import { InMemoryLogQuerySource } from '../../../lib/detections/InMemoryLogQuerySource.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';
import { LocalLogQuerySource } from '../../../lib/detections/LocalLogQuerySource.js';
import { runDetection } from '../../../lib/detections/runDetection.js';
import { toAppEventsRow } from '../../../lib/telemetry/toAppEventsRow.js';
import { comparableRows } from './detectionFixtures.js';

const now = new Date('2025-03-01T12:00:00Z');
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const attacker = '203.0.113.7';

const burst = (await loadDetections()).find(
  (definition): definition is ScheduledDetection => definition.id === 'failed-auth-burst',
);
assert.ok(burst !== undefined);

function httpLogLine(time: Date, address: string, status: number): string {
  return `${JSON.stringify({
    TimeGenerated: time.toISOString(),
    CsMethod: 'POST',
    CsUriStem: '/api/seal-pdf',
    CsUriQuery: '?code=REDACTED',
    ScStatus: status,
    CIp: address,
    UserAgent: 'python-requests/2.31',
    CsHost: '127.0.0.1:7071',
    TimeTaken: 2,
    _ResourceId: 'local/sealops',
  })}\n`;
}

describe('LocalLogQuerySource', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealops-telemetry-'));
    const refused = toAppEventsRow(
      {
        name: 'ApiAuthFailure',
        reason: 'container_not_allowed',
        statusCode: 403,
        functionName: 'seal-pdf',
        clientIp: attacker,
      },
      secondsAgo(30),
      'sealops',
    );
    await writeFile(join(directory, 'AppEvents.jsonl'), `${JSON.stringify(refused)}\n`);
    let lines = '';
    for (let i = 0; i < 11; i++) lines += httpLogLine(secondsAgo(20 * i), attacker, 401);
    lines += httpLogLine(secondsAgo(600), '192.0.2.1', 401);
    await writeFile(join(directory, 'AppServiceHTTPLogs.jsonl'), lines);
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('fires the burst detection from the two JSON-lines files the local stack writes', async () => {
    const source = new LocalLogQuerySource(directory, { now: () => now });
    const run = await runDetection(burst, source);

    assert.equal(run.result.status, 'Success');
    assert.equal(run.fired, true);
    assert.deepEqual(
      run.alerts.map((alert) => alert.key),
      [{ ClientIp: attacker }],
    );
    assert.deepEqual(comparableRows(run.table), [
      {
        ClientIp: attacker,
        Failures: 11,
        AppFailures: 1,
        HttpFailures: 11,
        Reasons: ['container_not_allowed', 'http_401'],
        FirstSeen: secondsAgo(200).toISOString(),
        LastSeen: now.toISOString(),
      },
    ]);
  });

  it('leaves out rows outside the time range', async () => {
    const source = new LocalLogQuerySource(directory, { now: () => now });
    const query = 'AppServiceHTTPLogs | summarize n = count()';
    const recent = await source.query(query, { duration: 'PT5M' });
    const day = await source.query(query, { startTime: secondsAgo(86_400), endTime: now });
    assert.deepEqual(recent.tables[0]?.rows, [[11]]);
    assert.deepEqual(day.tables[0]?.rows, [[12]]);
  });

  it('reads a missing file as an empty table', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sealops-telemetry-'));
    try {
      const run = await runDetection(burst, new LocalLogQuerySource(empty, { now: () => now }));
      assert.equal(run.result.status, 'Success');
      assert.equal(run.fired, false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('skips lines that are not rows and says so in a partial result', async () => {
    const damaged = await mkdtemp(join(tmpdir(), 'sealops-telemetry-'));
    try {
      const file = join(damaged, 'AppServiceHTTPLogs.jsonl');
      await writeFile(file, httpLogLine(secondsAgo(10), attacker, 401));
      await appendFile(file, 'not json\n');
      await appendFile(file, `${JSON.stringify({ TimeGenerated: 'soon', CIp: attacker })}\n`);
      await appendFile(file, httpLogLine(secondsAgo(5), attacker, 401));
      // A write in progress: the last line has no newline yet and is skipped without complaint.
      await appendFile(file, '{"TimeGenerated":"2025-03-01T11:59:59');

      const source = new LocalLogQuerySource(damaged, { now: () => now });
      const result = await source.query('AppServiceHTTPLogs | summarize n = count()', {
        duration: 'PT5M',
      });
      assert.deepEqual(result, {
        status: 'PartialFailure',
        tables: [{ name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[2]] }],
        partialError: {
          code: 'LOCAL_LOG_LINES_SKIPPED',
          message:
            'Skipped 2 line(s) of AppServiceHTTPLogs.jsonl (first: line 2) that are not valid ' +
            'rows; the result leaves them out.',
        },
      });
    } finally {
      await rm(damaged, { recursive: true, force: true });
    }
  });
});

describe('InMemoryLogQuerySource', () => {
  it('rejects a time range whose duration is not ISO 8601', async () => {
    const source = new InMemoryLogQuerySource({}, { now: () => now });
    await assert.rejects(source.query('AppEvents', { duration: '5m' }), (error: unknown) => {
      assert.ok(error instanceof InvalidQueryTimespanError);
      assert.equal(
        error.message,
        'The query time range is invalid: the duration "5m" is not ISO 8601; give an ISO 8601 ' +
          'duration such as PT5M.',
      );
      return true;
    });
  });
});
