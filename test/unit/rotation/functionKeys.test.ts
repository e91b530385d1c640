import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { RotationServices } from '../../../lib/app/createRotationServices.js';
import { LocalFunctionsHost } from '../../../local/host/LocalFunctionsHost.js';
import { day, hour, startRotationFixture, type RotationFixture } from './rotationFixture.js';

const appEntry = fileURLToPath(new URL('../../support/hostFixtureApp.js', import.meta.url));
const credential = 'function-key:echo';

let fixture: RotationFixture;
let host: LocalFunctionsHost;
let services: RotationServices;
before(async () => {
  fixture = await startRotationFixture();
  host = await LocalFunctionsHost.start({
    appEntry,
    stateFile: join(fixture.dir, 'host', 'state.json'),
    port: 0,
    httpLogDirectory: fixture.telemetryDir,
    timers: false,
    log: () => undefined,
  });
  services = await fixture.services(
    {},
    {
      FUNCTION_KEY_ROTATION: 'echo',
      LOCAL_HOST_URL: host.url,
      LOCAL_HOST_MASTER_KEY: host.state.data.masterKey,
    },
  );
});
after(async () => {
  await host.close();
  await fixture.dispose();
});

async function callerKey(keyName: string): Promise<string | undefined> {
  const versions = await fixture.store.listVersions(`function-key-echo-${keyName}`);
  const latest = versions.filter(({ enabled }) => enabled !== false).at(-1);
  return latest?.version && fixture.store.getValue(`function-key-echo-${keyName}`, latest.version);
}

async function echoStatus(key: string | undefined): Promise<number> {
  const response = await fetch(`${host.url}/api/echo/rotation`, {
    method: 'POST',
    headers: { 'x-functions-key': key ?? '' },
    body: 'x',
  });
  await response.body?.cancel();
  return response.status;
}

test('the first run gives callers a function key, published to Key Vault', async () => {
  const [run] = await services.engine.run({ credential, force: true });
  assert.equal(run?.outcome, 'idle', run?.message);
  const key = await callerKey('callers-a');
  assert.equal(await echoStatus(key), 200);
  assert.equal(await callerKey('callers-b'), undefined);
});

test('before the key ages out the other key is made and published, and the first is deleted after the overlap', async () => {
  const first = await callerKey('callers-a');
  fixture.clock.advance(77 * day);
  const [run] = await services.engine.run({ credential });
  assert.equal(run?.phase, 'overlapping', run?.message);
  const second = await callerKey('callers-b');
  assert.notEqual(second, undefined);
  assert.equal(await echoStatus(first), 200);
  assert.equal(await echoStatus(second), 200);

  fixture.clock.advance(7 * day + hour);
  const [done] = await services.engine.run({ credential });
  assert.equal(done?.outcome, 'idle', done?.message);
  assert.equal(await echoStatus(first), 401);
  assert.equal(await echoStatus(second), 200);
  assert.equal(await callerKey('callers-a'), undefined, 'the retired key is disabled in Key Vault');
  const [status] = await services.engine.status(credential);
  assert.deepEqual(
    status?.keys.map(({ keyId, state }) => `${keyId}:${state}`),
    ['callers-b:preferred'],
  );
});
