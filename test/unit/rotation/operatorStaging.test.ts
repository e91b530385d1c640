import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import type { RotationAlertEvent } from '../../../lib/telemetry/events.js';
import { day, hour, startRotationFixture, type RotationFixture } from './rotationFixture.js';

/** No provider key API: keys come from the vendor's portal, staged by an operator. */
const operatorEnv = { TS_KEY_PROVIDER_URL: '', TS_KEY_PROVIDER_TOKEN: '' };

let fixture: RotationFixture;
before(async () => {
  fixture = await startRotationFixture();
});
after(async () => fixture.dispose());

function alertsSince(first: number): RotationAlertEvent[] {
  return fixture.sink.events
    .slice(first)
    .filter((event): event is RotationAlertEvent => event.name === 'RotationAlert');
}

test('an operator is asked for a key 30, 14, 7 and 1 days before expiry, louder each time', async () => {
  const rotation = await fixture.isolatedCase({ expiresInMs: 31 * day, env: operatorEnv });
  const { engine } = await rotation.services();
  const first = fixture.sink.events.length;
  const [idle] = await engine.run();
  assert.equal(idle?.outcome, 'idle');

  const seen: string[] = [];
  for (const daysLeft of [30, 14, 7, 1]) {
    const expiresAt = rotation.seed.expiresAt.getTime();
    fixture.clock.advance(expiresAt - daysLeft * day - fixture.clock.now().getTime() + hour);
    const [run] = await engine.run();
    assert.equal(run?.phase, 'obtaining', run?.message);
    assert.equal(run?.outcome, 'waiting');
    seen.push(...run.alerts.map(({ kind, severity }) => `${kind}:${severity}`));
  }
  assert.deepEqual(seen, [
    'escalation:info',
    'escalation:warning',
    'escalation:warning',
    'escalation:critical',
  ]);
  const [last] = alertsSince(first).slice(-1);
  assert.match(
    last?.reason ?? '',
    /^A new key is needed for signing-api-key: key .+ expires .+ \(in 0\.9 days\)\. Issue a new key in the Trusted Signatures portal, then run: sealops keys stage --credential signing-api-key --key-id <key ID> --key-file <file holding the hex key> --expires <expiry shown in the portal>\.$/,
  );

  // Past expiry with nothing staged, every run says that sealing is down.
  fixture.clock.advance(day);
  const [expired] = await engine.run({ force: true });
  assert.deepEqual(
    expired?.alerts.map(({ kind, severity }) => `${kind}:${severity}`),
    ['expiry_imminent:critical'],
  );
});

test('a malformed key, an expiry in the past or a reused key ID is refused before anything is written', async () => {
  const rotation = await fixture.isolatedCase({ env: operatorEnv });
  const services = await rotation.services();
  const future = new Date(fixture.clock.now().getTime() + 200 * day);
  const keyId = randomUUID();

  await assert.rejects(services.stage({ keyId, apiKeyHex: 'not-hex', expiresOn: future }), {
    code: 'STAGED_KEY_INVALID',
    message:
      'The staged key was refused: its key is not a hex API key (an even number of hex digits, at least 32). Nothing was staged.',
  });
  const past = new Date(fixture.clock.now().getTime() - day);
  await assert.rejects(services.stage({ keyId, apiKeyHex: 'ab'.repeat(32), expiresOn: past }), {
    code: 'STAGED_KEY_INVALID',
    message: `The staged key was refused: its expiry ${past.toISOString()} is in the past. Nothing was staged.`,
  });
  await assert.rejects(
    services.stage({ keyId: 'key-1', apiKeyHex: 'ab'.repeat(32), expiresOn: future }),
    {
      message:
        'The staged key was refused: its key ID is not a key ID as the portal shows it (a UUID). Nothing was staged.',
    },
  );
  await assert.rejects(
    services.stage({
      keyId: rotation.seed.keyId,
      apiKeyHex: rotation.seed.apiKeyHex,
      expiresOn: future,
    }),
    {
      message:
        /^The staged key was refused: its key ID .+ is already a valid key in 'case-\d+'\. Nothing was staged\.$/,
    },
  );
  assert.deepEqual(await fixture.store.listVersions(rotation.pendingSecretName), []);
});

test('a key staged under the wrong key ID fails its test, is not published, and the operator is asked again', async () => {
  const rotation = await fixture.isolatedCase({ env: operatorEnv });
  const services = await rotation.services();
  const portalKey = await fixture.signing.issueKey({
    expiresAt: new Date(fixture.clock.now().getTime() + 300 * day),
  });
  const wrongId = randomUUID();
  const first = fixture.sink.events.length;

  const staged = await services.stage({
    keyId: wrongId,
    apiKeyHex: portalKey.apiKeyHex,
    expiresOn: portalKey.expiresAt,
  });
  assert.equal(staged.written, true);
  const [run] = await services.engine.run({ force: true });

  assert.equal(run?.phase, 'obtaining');
  assert.equal(run?.outcome, 'waiting');
  const [status] = await services.engine.status();
  assert.equal(status?.rejected[0]?.keyId, wrongId);
  assert.match(
    status?.rejected[0]?.reason ?? '',
    new RegExp(`^The signing service refused key ${wrongId} \\(HTTP 401\\)`),
  );
  const alert = alertsSince(first).find(({ step }) => step === 'test');
  assert.match(
    alert?.reason ?? '',
    /^The staged key failed its test and was not published: The signing service refused key/,
  );
  assert.deepEqual(
    (await rotation.validKeys()).map(({ keyId }) => keyId),
    [rotation.seed.keyId],
  );
  assert.equal(await fixture.signsWith(rotation.seed), true);

  // The right key ID this time: tested, published, and the old key retired after the overlap.
  await services.stage({
    keyId: portalKey.keyId,
    apiKeyHex: portalKey.apiKeyHex,
    expiresOn: portalKey.expiresAt,
  });
  const [published] = await services.engine.run({ force: true });
  assert.equal(published?.phase, 'overlapping', published?.message);
  assert.deepEqual(
    (await rotation.validKeys()).map(({ keyId }) => keyId),
    [portalKey.keyId, rotation.seed.keyId],
  );

  fixture.clock.advance(7 * day + hour);
  const [done] = await services.engine.run();
  assert.equal(done?.outcome, 'idle', done?.message);
  const revoke = done?.steps.find(({ step }) => step === 'revoke');
  assert.deepEqual(revoke, {
    step: 'revoke',
    outcome: 'skipped',
    keyId: rotation.seed.keyId,
    reason: 'no provider key API: revoke the key in the Trusted Signatures portal',
  });
  assert.deepEqual(
    (await rotation.validKeys()).map(({ keyId }) => keyId),
    [portalKey.keyId],
  );
});
