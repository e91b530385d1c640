import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BlobServiceClient } from '@azure/storage-blob';
import { PDFDocument } from 'pdf-lib';

import type { DetectionState } from '../../lib/detections/DetectionState.js';

import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';

interface AppEventsRow {
  readonly Name: string;
  readonly Properties: Record<string, string>;
}

async function detectionAlerts(stack: StackProcess): Promise<AppEventsRow[]> {
  let text: string;
  try {
    text = await readFile(join(stack.telemetryDir, 'AppEvents.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AppEventsRow)
    .filter((row) => row.Name === 'DetectionAlert');
}

/** Runs the alert timer once, as `POST /admin/functions/<name>` does on the real host. */
async function evaluateOnce(stack: StackProcess): Promise<void> {
  const origin = new URL(stack.baseUrl).origin;
  const response = await fetch(`${origin}/admin/functions/evaluate-detections`, {
    method: 'POST',
    headers: { 'x-functions-key': stack.masterKey, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(response.status, 202, stack.output.join(''));
}

/** The alert timer's state, as it keeps it in the stack's Azurite. */
async function storedState(stack: StackProcess): Promise<DetectionState> {
  const blob = BlobServiceClient.fromConnectionString(stack.storageConnectionString)
    .getContainerClient('sealops-detections')
    .getBlobClient('state.json');
  return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as DetectionState;
}

describe('detections on the local stack', () => {
  let stack: StackProcess;

  before(async () => {
    stack = await startStackProcess();
  });

  after(async () => {
    await stack?.stop();
  });

  it('raises the failed-authentication alert for a burst of bad keys from one address within one evaluation, and nothing for normal seals', async () => {
    const document = await PDFDocument.create();
    document.addPage([200, 200]);
    const pdf = await document.save();
    for (let seal = 0; seal < 3; seal += 1) {
      const response = await fetch(`${stack.baseUrl}/seal-pdf`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'x-functions-key': stack.functionKey },
        body: pdf,
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const response = await fetch(`${stack.baseUrl}/seal-pdf`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', 'x-functions-key': `guessed-key-${attempt}` },
        body: pdf,
      });
      assert.equal(response.status, 401);
    }

    await evaluateOnce(stack);

    const alerts = await detectionAlerts(stack);
    assert.deepEqual(
      alerts.map((row) => [
        row.Properties.detection,
        row.Properties.alertKey,
        row.Properties.severity,
      ]),
      [['failed-auth-burst', 'ClientIp=127.0.0.1', 'High']],
    );
    assert.match(alerts[0]?.Properties.summary ?? '', /ClientIp=127\.0\.0\.1, Failures=12,/);
    const state = await storedState(stack);
    assert.deepEqual(Object.keys(state.suppressedUntil), ['failed-auth-burst|ClientIp=127.0.0.1']);
    assert.equal(Object.keys(state.runs).length, 9, 'every detection ran on the first evaluation');
  });

  it('raises nothing new on a second evaluation within the suppression window', async () => {
    await evaluateOnce(stack);

    assert.equal((await detectionAlerts(stack)).length, 1);
  });
});
