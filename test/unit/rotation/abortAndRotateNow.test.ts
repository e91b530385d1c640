import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { day, startRotationFixture, type RotationFixture } from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture();
});
after(async () => fixture.dispose());

test('an incident rotation publishes a tested key now, and asking again with its ID changes nothing', async () => {
  const rotation = await fixture.isolatedCase({ expiresInMs: 200 * day });
  const { emergencyRotation } = await rotation.services();
  const { keyId } = await emergencyRotation.rotateNow({ rotationId: 'incident-7', reason: 'leak' });

  const valid = await rotation.validKeys();
  assert.deepEqual(
    valid.map((version) => version.keyId),
    [keyId, rotation.seed.keyId],
  );
  assert.deepEqual(
    await emergencyRotation.rotateNow({ rotationId: 'incident-7', reason: 'leak' }),
    { keyId },
  );
  assert.equal((await rotation.validKeys()).length, 2);
});

test('abort discards an unpublished key, and is refused once the new key is published', async () => {
  const rotation = await fixture.isolatedCase();
  const services = await rotation.services();
  fixture.signing.faults.failWith(503);
  const [failed] = await services.engine.run({ force: true });
  fixture.signing.faults.reset();
  assert.equal(failed?.phase, 'testing');
  assert.equal(failed.outcome, 'failed');
  const { state } = await services.state.read('signing-api-key');
  const candidate = state.rotation?.candidate?.keyId;

  const aborted = await services.engine.abort('signing-api-key', 'operator said so');
  assert.equal(aborted.phase, 'idle');
  assert.deepEqual(aborted.steps, [
    { step: 'abort', outcome: 'success', keyId: candidate, reason: 'operator said so' },
  ]);
  assert.equal(fixture.signing.listKeys().find(({ keyId }) => keyId === candidate)?.revoked, true);
  assert.deepEqual(
    (await rotation.validKeys()).map(({ keyId }) => keyId),
    [rotation.seed.keyId],
  );
  await assert.rejects(services.engine.abort('signing-api-key', 'again'), {
    code: 'ROTATION_ABORT_REFUSED',
    message:
      "No rotation of 'signing-api-key' is in flight and automation is not stopped; there is nothing to abort.",
  });

  const plain = await rotation.services();
  const [published] = await plain.engine.run({ force: true });
  assert.equal(published?.phase, 'overlapping');
  await assert.rejects(plain.engine.abort('signing-api-key', 'too late'), {
    code: 'ROTATION_ABORT_REFUSED',
    message: new RegExp(
      "^The rotation of 'signing-api-key' has already published key .+, which callers may be using; it cannot be aborted\\.",
    ),
  });
});
