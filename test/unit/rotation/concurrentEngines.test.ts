import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startRotationFixture, type RotationFixture } from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture();
});
after(async () => fixture.dispose());

test('a second engine that starts while the first holds the credential does nothing and says it is busy', async () => {
  const rotation = await fixture.isolatedCase();
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const first = await rotation.services({
    checkpoint: (name) => {
      if (name !== 'start:before') return Promise.resolve();
      entered();
      return released;
    },
  });
  const second = await rotation.services();

  const firstRun = first.engine.run({ force: true });
  await inside;
  const [busy] = await second.engine.run({ force: true });
  release();
  const [rotated] = await firstRun;

  assert.equal(busy?.outcome, 'busy');
  assert.equal(
    busy?.message,
    "Another run is rotating 'signing-api-key' right now (it holds the lease); try again in a minute.",
  );
  assert.equal(rotated?.phase, 'overlapping', rotated?.message);
  assert.equal((await rotation.validKeys()).length, 2);
});

test('two engines started at once on the same credential: exactly one rotates', async () => {
  // Keys issued before now belong to the other test.
  fixture.clock.advance(60 * 60 * 1000);
  const rotation = await fixture.isolatedCase();
  const firstEvent = fixture.sink.events.length;
  const engines = await Promise.all([rotation.services(), rotation.services()]);
  const runs = (await Promise.all(engines.map(({ engine }) => engine.run({ force: true })))).flat();

  const published = fixture.sink.events
    .slice(firstEvent)
    .filter((event) => event.name === 'RotationStep' && event.step === 'publish');
  assert.equal(published.length, 1);
  const issued = fixture.signing
    .listKeys()
    .filter(({ createdAt }) => Date.parse(createdAt) >= rotation.startedAt.getTime())
    .filter(({ keyId }) => keyId !== rotation.seed.keyId);
  assert.equal(issued.length, 1);
  assert.equal((await rotation.validKeys()).length, 2);
  // The other run either found the lease taken or found the rotation already waiting.
  assert.ok(runs.every(({ outcome }) => outcome === 'busy' || outcome === 'waiting'));
});
