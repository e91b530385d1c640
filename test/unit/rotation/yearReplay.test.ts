import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { day, hour, startRotationFixture, type RotationFixture } from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture({ env: { TS_KEY_LIFETIME_DAYS: '90' } });
});
after(async () => fixture.dispose());

test('a year replayed hour by hour rotates every key, seals every hour, and keeps one or two valid keys', async () => {
  const { engine } = await fixture.services();
  const problems: string[] = [];
  const keysUsed = new Set<string>();
  for (let hours = 0; hours < 365 * 24; hours += 1) {
    fixture.clock.advance(hour);
    const at = fixture.clock.now().toISOString();
    for (const run of await engine.run()) {
      if (run.outcome === 'failed' || run.outcome === 'stopped')
        problems.push(`${at}: ${run.message}`);
    }
    try {
      // The function's own view of Key Vault, re-read this hour (its cache lasts 5 minutes).
      const { keyId, validKeys } = await fixture.seal();
      keysUsed.add(keyId);
      if (validKeys < 1 || validKeys > 2) problems.push(`${at}: ${validKeys} valid keys`);
    } catch (error) {
      problems.push(`${at}: seal failed: ${(error as Error).message}`);
    }
  }

  assert.deepEqual(problems, []);
  const steps = fixture.sink.steps();
  const published = steps.filter((step) => step.startsWith('publish:success'));
  const deactivated = steps.filter((step) => step.startsWith('deactivate:success'));
  // 90-day keys rotated 30 days before expiry: a new key every 60 days.
  assert.equal(published.length, 6);
  assert.equal(deactivated.length, 5);
  assert.equal(keysUsed.size, 7);
  assert.equal(steps.filter((step) => step.includes(':failure')).length, 0);
  // Every deactivated key was the one published before it.
  const publishedKeys = [fixture.firstKey.keyId, ...published.map((step) => step.split(':')[2])];
  assert.deepEqual(
    deactivated.map((step) => step.split(':')[2]),
    publishedKeys.slice(0, 5),
  );
  assert.ok(fixture.clock.now().getTime() - Date.parse('2026-01-01T00:00:00.000Z') >= 365 * day);
});
