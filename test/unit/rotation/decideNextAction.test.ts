import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { decideNextAction } from '../../../lib/rotation/decideNextAction.js';
import { defaultRotationPolicy, retryDelay } from '../../../lib/rotation/RotationPolicy.js';
import {
  newRotationState,
  parseRotationState,
  type RotationState,
} from '../../../lib/rotation/RotationState.js';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-01T00:00:00.000Z');
const key = (daysLeft: number) => ({
  keyId: 'key-1',
  fingerprint: 'sha256:0123456789abcdef',
  expiresOn: new Date(now.getTime() + daysLeft * day),
});
const decide = (state: RotationState, daysLeft: number | undefined, staged = false) =>
  decideNextAction({
    policy: defaultRotationPolicy,
    state,
    inventory: { valid: daysLeft === undefined ? [] : [key(daysLeft)] },
    now,
    staged,
  });

describe('what a run does next', () => {
  test('an idle key far from expiry is checked again in a day, never later', () => {
    assert.deepEqual(decide(newRotationState('signing-api-key'), 200), {
      kind: 'check',
      until: new Date(now.getTime() + day),
      reason:
        'key key-1 expires 2026-12-18T00:00:00.000Z; rotation starts 2026-11-18T00:00:00.000Z',
    });
  });

  test('the check before a rotation is due falls exactly on its start', () => {
    const action = decide(newRotationState('signing-api-key'), 30.5);
    assert.equal(action.kind === 'check' && action.until.toISOString(), '2026-06-01T12:00:00.000Z');
  });

  test('a rotation starts 30 days before expiry, with no valid key, or when a key is staged', () => {
    const idle = newRotationState('signing-api-key');
    assert.deepEqual(decide(idle, 30), { kind: 'step', step: 'start', reason: 'expiry' });
    assert.deepEqual(decide(idle, undefined), {
      kind: 'step',
      step: 'start',
      reason: 'no-valid-key',
    });
    assert.deepEqual(decide(idle, 200, true), { kind: 'step', step: 'start', reason: 'staged' });
  });

  test('a stopped credential does nothing until a person acts', () => {
    const stopped: RotationState = {
      ...newRotationState('signing-api-key'),
      stopped: { step: 'test', reason: 'refused', at: now.toISOString() },
    };
    assert.deepEqual(decide(stopped, 10), { kind: 'stopped', step: 'test', reason: 'refused' });
  });

  test('a failing step waits for its retry time, which doubles up to six hours', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((attempts) => retryDelay(defaultRotationPolicy, attempts) / 60_000),
      [15, 30, 60, 120, 240, 360, 360],
    );
  });

  test('a state record that is not ours is refused rather than guessed at', () => {
    assert.throws(() => parseRotationState('{"schemaVersion":2}', 'signing-api-key'), {
      code: 'ROTATION_STATE_CORRUPT',
      message:
        "The rotation state of 'signing-api-key' cannot be used: its schemaVersion is not 1; inspect the blob in the 'sealops-rotation' container, then fix or delete it ('sealops keys status' shows what Key Vault holds).",
    });
    assert.deepEqual(
      parseRotationState('', 'signing-api-key'),
      newRotationState('signing-api-key'),
    );
  });
});
