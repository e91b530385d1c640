import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { SigningCallEvent } from '../../../lib/telemetry/events.js';
import { day, startRotationFixture, type RotationFixture } from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture({ firstKeyLifetimeMs: 29 * day });
});
after(async () => fixture.dispose());

test('during the overlap, a seal refused with the new key is retried once with the old one, and says so', async () => {
  const { engine } = await fixture.services();
  const [run] = await engine.run();
  assert.equal(run?.phase, 'overlapping', run?.message);
  const [newKey, oldKey] = await fixture.validKeys();
  fixture.signing.faults.refuseKey(newKey?.keyId ?? '');

  const sealed = await fixture.seal();
  assert.equal(sealed.keyId, oldKey?.keyId);
  assert.equal(sealed.validKeys, 2);
  const calls = fixture.sink.events.filter(
    (event): event is SigningCallEvent => event.name === 'SigningCall',
  );
  assert.deepEqual(
    calls.slice(-2).map(({ keyId, statusCode, retriedWithOtherKey }) => ({
      keyId,
      statusCode,
      retriedWithOtherKey,
    })),
    [
      { keyId: newKey?.keyId, statusCode: 401, retriedWithOtherKey: false },
      { keyId: oldKey?.keyId, statusCode: 200, retriedWithOtherKey: true },
    ],
  );
});
