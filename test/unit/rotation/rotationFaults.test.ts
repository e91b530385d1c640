import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import type { RotationAlertEvent } from '../../../lib/telemetry/events.js';
import {
  hour,
  startRotationFixture,
  type IsolatedCase,
  type RotationFixture,
} from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture();
});
afterEach(() => {
  fixture.signing.faults.reset();
  fixture.vault.faults.clear();
});
after(async () => fixture.dispose());

/** Refuses (401) every new key of this case as it comes up for its test. */
function refuseCandidates(rotation: IsolatedCase, limit = Number.POSITIVE_INFINITY) {
  let refused = 0;
  return async (name: string) => {
    if (name !== 'test:before' || refused >= limit) return;
    const pending = await fixture.store.listVersions(rotation.pendingSecretName);
    for (const version of pending) {
      const keyId = version.tags?.keyId;
      if (version.enabled !== false && keyId) fixture.signing.faults.refuseKey(keyId);
    }
    refused += 1;
  };
}

function alertsSince(first: number): RotationAlertEvent[] {
  return fixture.sink.events
    .slice(first)
    .filter((event): event is RotationAlertEvent => event.name === 'RotationAlert');
}

describe('the signing service refuses the new key', () => {
  test('a refused key is revoked, never published, and the next key is obtained and published', async () => {
    const rotation = await fixture.isolatedCase();
    const first = fixture.sink.events.length;
    const { engine } = await rotation.services({ checkpoint: refuseCandidates(rotation, 1) });
    const [run] = await engine.run({ force: true });

    assert.equal(run?.phase, 'overlapping', run?.message);
    const refusedStep = run?.steps.find(
      ({ step, outcome }) => step === 'test' && outcome === 'failure',
    );
    assert.match(refusedStep?.reason ?? '', /^The signing service refused key .+ \(HTTP 401\)/);
    const refusedKey = fixture.signing.listKeys().find(({ keyId }) => keyId === refusedStep?.keyId);
    assert.equal(refusedKey?.revoked, true);
    const valid = await rotation.validKeys();
    assert.equal(valid.length, 2);
    assert.ok(!valid.some(({ keyId }) => keyId === refusedStep?.keyId));
    assert.equal(alertsSince(first)[0]?.kind, 'escalation');
  });

  test('after three refused keys automation stops with a critical alert, and the old key still works', async () => {
    const rotation = await fixture.isolatedCase();
    const first = fixture.sink.events.length;
    const { engine } = await rotation.services({ checkpoint: refuseCandidates(rotation) });
    const [run] = await engine.run({ force: true });

    assert.equal(run?.outcome, 'stopped');
    const stopped = alertsSince(first).find(({ kind }) => kind === 'automation_stopped');
    assert.equal(stopped?.severity, 'critical');
    assert.equal(stopped?.step, 'test');
    assert.match(
      stopped?.reason ?? '',
      /^Automation stopped for signing-api-key at step 'test': 3 new keys in a row failed their test; the last: The signing service refused key/,
    );
    assert.deepEqual(
      (await rotation.validKeys()).map(({ keyId }) => keyId),
      [rotation.seed.keyId],
    );
    assert.equal(await fixture.signsWith(rotation.seed), true);

    const [again] = await engine.run({ force: true });
    assert.equal(again?.outcome, 'stopped', 'a stopped rotation stays stopped until a person acts');
  });
});

describe('the signing service is down or slow while a new key is tested', () => {
  test('an outage is retried with backoff, stops after five attempts, and resumes on request', async () => {
    const rotation = await fixture.isolatedCase();
    const { engine, state } = await rotation.services();
    fixture.signing.faults.failWith(503);
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const [run] = await engine.run();
      outcomes.push(run?.outcome ?? '');
      fixture.clock.advance(7 * hour);
    }
    assert.deepEqual(outcomes, ['failed', 'failed', 'failed', 'failed', 'stopped']);
    const { state: stopped } = await state.read('signing-api-key');
    assert.equal(stopped.phase, 'testing');
    assert.equal(stopped.stopped?.step, 'test');
    assert.match(
      stopped.stopped?.reason ?? '',
      /^5 attempts failed; the last: The signing service/,
    );
    assert.deepEqual(
      (await rotation.validKeys()).map(({ keyId }) => keyId),
      [rotation.seed.keyId],
    );

    fixture.signing.faults.reset();
    assert.equal(await fixture.signsWith(rotation.seed), true);
    const [resumed] = await engine.run({ resume: true });
    assert.equal(resumed?.phase, 'overlapping', resumed?.message);
    assert.equal(resumed?.steps[0]?.step, 'resume');
  });

  test('a slow service times the test out, and the step waits before it tries again', async () => {
    const rotation = await fixture.isolatedCase();
    const { engine, state } = await rotation.services({ testTimeoutMs: 200 });
    fixture.signing.faults.delay(1000);
    const [slow] = await engine.run({ force: true });
    assert.equal(slow?.outcome, 'failed');
    const { state: failed } = await state.read('signing-api-key');
    assert.equal(failed.failure?.step, 'test');
    assert.equal(failed.failure?.code, 'SIGNING_SERVICE_TIMEOUT');
    assert.equal(
      failed.failure?.retryAt,
      new Date(fixture.clock.now().getTime() + 15 * 60 * 1000).toISOString(),
    );

    fixture.signing.faults.reset();
    const [early] = await engine.run();
    assert.equal(early?.outcome, 'not-due');
    fixture.clock.advance(16 * 60 * 1000);
    const [retried] = await engine.run();
    assert.equal(retried?.phase, 'overlapping', retried?.message);
  });
});

describe('Key Vault throttles', () => {
  test('a short burst of 429s is absorbed by the SDK retries', async () => {
    const rotation = await fixture.isolatedCase();
    const { engine } = await rotation.services();
    fixture.vault.faults.throttleNext(2, { retryAfterMs: 10 });
    const [run] = await engine.run({ force: true });
    assert.equal(run?.phase, 'overlapping', run?.message);
    assert.equal(fixture.vault.faults.throttledCount >= 2, true);
  });

  test('sustained throttling fails the step with a clear message, and the old key stays', async () => {
    const rotation = await fixture.isolatedCase();
    const { engine, state } = await rotation.services();
    fixture.vault.faults.throttleNext(50, { retryAfterMs: 10 });
    const [run] = await engine.run({ force: true });
    assert.equal(run?.outcome, 'failed');
    const { state: failed } = await state.read('signing-api-key');
    assert.equal(failed.failure?.code, 'KEY_VAULT_UNAVAILABLE');
    assert.match(
      failed.failure?.reason ?? '',
      /^Key Vault answered 429 .* \(throttled; the step is retried later\)/,
    );

    fixture.vault.faults.clear();
    assert.deepEqual(
      (await rotation.validKeys()).map(({ keyId }) => keyId),
      [rotation.seed.keyId],
    );
    fixture.clock.advance(hour);
    const [retried] = await engine.run();
    assert.equal(retried?.phase, 'overlapping', retried?.message);
  });
});

test('an unreachable key provider fails the obtain step and names the provider settings', async () => {
  const rotation = await fixture.isolatedCase({
    env: { TS_KEY_PROVIDER_URL: 'http://127.0.0.1:9' },
  });
  const { engine, state } = await rotation.services();
  const [run] = await engine.run({ force: true });
  assert.equal(run?.outcome, 'failed');
  const { state: failed } = await state.read('signing-api-key');
  assert.equal(failed.failure?.step, 'obtain');
  assert.equal(
    failed.failure?.reason,
    "The key provider could not be reached while issuing a key; check TS_KEY_PROVIDER_URL, the admin token and the provider's availability.",
  );
});

test('an old key is never retired once its successor was disabled: automation stops and says why', async () => {
  const rotation = await fixture.isolatedCase();
  const { engine } = await rotation.services();
  const [published] = await engine.run({ force: true });
  assert.equal(published?.phase, 'overlapping', published?.message);
  const [newKey] = await rotation.validKeys();
  // What the incident runbook does to a compromised key.
  await fixture.store.setVersionEnabled(rotation.secretName, newKey?.secretVersion ?? '', false);

  fixture.clock.advance(8 * 24 * hour);
  const [run] = await engine.run();
  assert.equal(run?.outcome, 'stopped');
  assert.equal(
    run?.alerts[0]?.reason.split(' Fix the cause')[0],
    `Automation stopped for signing-api-key at step 'confirm': the new key ${newKey?.keyId} is no ` +
      'longer valid (disabled, deleted or expired), so the old key is not retired. Key ' +
      `${rotation.seed.keyId} stays valid until ${rotation.seed.expiresAt.toISOString()}.`,
  );
  assert.deepEqual(
    (await rotation.validKeys()).map(({ keyId }) => keyId),
    [rotation.seed.keyId],
  );
});
