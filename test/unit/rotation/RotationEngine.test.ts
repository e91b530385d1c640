import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { day, hour, startRotationFixture, type RotationFixture } from './rotationFixture.js';

describe('the rotation engine with the provider key API', () => {
  let fixture: RotationFixture;
  before(async () => {
    fixture = await startRotationFixture();
  });
  after(async () => fixture.dispose());

  test('a key far from expiry is only checked, and the next check is a day later', async () => {
    const { engine } = await fixture.services();
    const [run] = await engine.run();
    assert.equal(run?.outcome, 'idle');
    assert.deepEqual(fixture.sink.steps(), [`check:skipped:${fixture.firstKey.keyId}`]);
    assert.equal(run?.nextCheckAt, new Date(fixture.clock.now().getTime() + day).toISOString());
  });

  test('a key 30 days before expiry is replaced by a tested key, and both stay valid', async () => {
    fixture.clock.advance(61 * day);
    const { engine } = await fixture.services();
    const [run] = await engine.run();
    assert.equal(run?.outcome, 'waiting', run?.message);
    assert.equal(run?.phase, 'overlapping');
    const keys = await fixture.validKeys();
    assert.equal(keys.length, 2);
    const [newKey, oldKey] = keys;
    assert.equal(oldKey?.keyId, fixture.firstKey.keyId);
    assert.deepEqual(
      run?.steps.map(({ step, outcome, keyId }) => `${step}:${outcome}:${keyId ?? ''}`),
      [
        `start:success:${fixture.firstKey.keyId}`,
        `obtain:success:${newKey?.keyId}`,
        `test:success:${newKey?.keyId}`,
        `publish:success:${newKey?.keyId}`,
        `refresh:success:${newKey?.keyId}`,
      ],
    );
    const sealed = await fixture.seal();
    assert.equal(sealed.keyId, newKey?.keyId);
  });

  test('the old key is deactivated after the overlap once it went unused, and revoked', async () => {
    fixture.clock.advance(7 * day + hour);
    const { engine } = await fixture.services();
    const [run] = await engine.run();
    assert.equal(run?.outcome, 'idle', run?.message);
    const keys = await fixture.validKeys();
    assert.equal(keys.length, 1);
    assert.ok(
      run?.steps.some(
        ({ step, keyId }) => step === 'deactivate' && keyId === fixture.firstKey.keyId,
      ),
    );
    const summary = fixture.signing
      .listKeys()
      .find(({ keyId }) => keyId === fixture.firstKey.keyId);
    assert.equal(summary?.revoked, true);
    assert.equal((await fixture.seal()).keyId, keys[0]?.keyId);
  });
});
