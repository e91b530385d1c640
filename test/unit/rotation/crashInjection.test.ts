import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { RotationServices } from '../../../lib/app/createRotationServices.js';
import { day, hour, startRotationFixture, type RotationFixture } from './rotationFixture.js';

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture();
});
after(async () => fixture.dispose());

/** Runs a rotation to its end, moving the clock past the overlap when it waits for it. */
async function runToCompletion(services: RotationServices): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    const [run] = await services.engine.run({ force: true });
    assert.ok(run && run.outcome !== 'failed' && run.outcome !== 'stopped', run?.message);
    const { state } = await services.state.read('signing-api-key');
    if (state.phase === 'idle' && state.completed.length > 0) return;
    fixture.clock.advance(7 * day + hour);
  }
  assert.fail('the rotation did not complete in 10 runs');
}

/** The checkpoints one whole rotation passes, in order. */
async function recordCheckpoints(): Promise<string[]> {
  const rotation = await fixture.isolatedCase();
  const names: string[] = [];
  const services = await rotation.services({
    checkpoint: (name) => Promise.resolve(void names.push(name)),
  });
  await runToCompletion(services);
  return names;
}

test('a process stopped at any step boundary is resumed by the next one: no key lost, none issued twice, none deactivated early', async () => {
  const checkpoints = await recordCheckpoints();
  assert.ok(checkpoints.length >= 15, checkpoints.join(', '));
  assert.ok(checkpoints.includes('obtain:issued'));
  assert.ok(checkpoints.includes('publish:written'));

  for (const [index, checkpoint] of checkpoints.entries()) {
    const rotation = await fixture.isolatedCase();
    const firstEvent = fixture.sink.events.length;

    // The first process stops for good at this checkpoint, holding its lease.
    let reached!: () => void;
    const stopped = new Promise<void>((resolve) => (reached = resolve));
    let seen = 0;
    const crashing = await rotation.services({
      checkpoint: () => {
        if (seen++ !== index) return Promise.resolve();
        reached();
        return new Promise<void>(() => undefined);
      },
    });
    void runToCompletion(crashing).catch(() => undefined);
    await stopped;

    // Its lease runs out; a new process takes over.
    await rotation.breakLease();
    const resumed = await rotation.services();
    const context = `stopped at ${checkpoint} (#${index})`;
    await runToCompletion(resumed).catch((error: unknown) => {
      throw new Error(`${context}: ${(error as Error).message}`);
    });

    const versions = await fixture.store.listVersions(rotation.secretName);
    const valid = await rotation.validKeys();
    assert.equal(
      versions.length,
      2,
      `${context}: one new secret version, not ${versions.length - 1}`,
    );
    assert.equal(valid.length, 1, context);
    const newKeyId = valid[0]?.keyId ?? '';
    assert.notEqual(newKeyId, rotation.seed.keyId, context);

    const issued = fixture.signing
      .listKeys()
      .filter(({ createdAt }) => Date.parse(createdAt) >= rotation.startedAt.getTime())
      .filter(({ keyId }) => keyId !== rotation.seed.keyId);
    const live = issued.filter(({ revoked }) => !revoked).map(({ keyId }) => keyId);
    assert.deepEqual(live, [newKeyId], `${context}: only the published key is live`);
    // A stop between issue and store loses that key's secret: it is revoked, and one more issued.
    const expectedIssued = checkpoint === 'obtain:issued' ? 2 : 1;
    assert.equal(issued.length, expectedIssued, `${context}: ${issued.length} keys issued`);
    const seed = fixture.signing.listKeys().find(({ keyId }) => keyId === rotation.seed.keyId);
    assert.equal(seed?.revoked, true, context);

    const steps = fixture.sink.events
      .slice(firstEvent)
      .flatMap((event) =>
        event.name === 'RotationStep' && event.outcome === 'success'
          ? [`${event.step}:${event.keyId ?? ''}`]
          : [],
      );
    const tested = steps.indexOf(`test:${newKeyId}`);
    const deactivated = steps.indexOf(`deactivate:${rotation.seed.keyId}`);
    assert.ok(tested >= 0 && deactivated > tested, `${context}: ${steps.join(', ')}`);
  }
});
