import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LocalFunctionsHost } from '../../../local/host/LocalFunctionsHost.js';

const appEntry = fileURLToPath(new URL('../../support/hostFixtureApp.js', import.meta.url));

describe('the local Functions host', () => {
  let host: LocalFunctionsHost;
  let dir: string;
  const logs: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-host-'));
    host = await LocalFunctionsHost.start({
      appEntry,
      stateFile: join(dir, 'state.json'),
      port: 0,
      defaultHostKey: 'fixed-default-host-key-0123456789',
      httpLogDirectory: dir,
      timers: false,
      log: (line) => logs.push(line),
    });
  });

  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.key) headers.set('x-functions-key', init.key);
    return fetch(`${host.url}${path}`, { ...init, headers });
  };

  it('receives every registration with the metadata @azure/functions sends the real host', () => {
    const echo = host.registrations.find((r) => r.name === 'echo');
    assert.deepEqual(
      {
        type: echo?.trigger.type,
        authLevel: echo?.trigger.authLevel,
        methods: echo?.trigger.methods,
        route: echo?.trigger.route,
      },
      { type: 'httpTrigger', authLevel: 'function', methods: ['POST'], route: 'echo/{name}' },
    );
    const tick = host.registrations.find((r) => r.name === 'tick');
    assert.equal(tick?.trigger.type, 'timerTrigger');
    assert.equal(tick?.trigger.schedule, '0 0 3 * * *');
  });

  it('refuses a function-level call without a key, or with a wrong one, with 401', async () => {
    assert.equal((await call('/api/echo/a', { method: 'POST' })).status, 401);
    assert.equal((await call('/api/echo/a', { method: 'POST', key: 'wrong' })).status, 401);
  });

  it('accepts the host key in the header or in ?code=, and streams the body to the function', async () => {
    const body = new Uint8Array(3 * 1024 * 1024);
    const viaHeader = await call('/api/echo/alice?q=1', {
      method: 'POST',
      body,
      key: 'fixed-default-host-key-0123456789',
    });
    assert.equal(viaHeader.status, 200);
    assert.deepEqual(await viaHeader.json(), {
      name: 'alice',
      bytes: body.byteLength,
      forwardedFor: '127.0.0.1',
      query: '1',
    });
    const viaQuery = await call('/api/echo/bob?code=fixed-default-host-key-0123456789', {
      method: 'POST',
      body: 'x',
    });
    assert.equal(viaQuery.status, 200);
  });

  it('accepts a function key only for its own function, and the master key everywhere', async () => {
    const master = host.state.data.masterKey;
    const created = await call('/admin/functions/echo/keys/caller-a', {
      method: 'PUT',
      key: master,
      body: JSON.stringify({ value: 'function-key-for-echo-only-000000' }),
    });
    assert.equal(created.status, 200);
    const ok = await call('/api/echo/a', {
      method: 'POST',
      key: 'function-key-for-echo-only-000000',
    });
    assert.equal(ok.status, 200);
    assert.equal((await call('/api/echo/a', { method: 'POST', key: master })).status, 200);

    const removed = await call('/admin/functions/echo/keys/caller-a', {
      method: 'DELETE',
      key: master,
    });
    assert.equal(removed.status, 204);
    const gone = await call('/api/echo/a', {
      method: 'POST',
      key: 'function-key-for-echo-only-000000',
    });
    assert.equal(gone.status, 401);
  });

  it('keeps the admin surface for the master key alone', async () => {
    const hostKey = 'fixed-default-host-key-0123456789';
    assert.equal((await call('/admin/host/keys', { key: hostKey })).status, 401);
    const listed = await call('/admin/host/keys', { key: host.state.data.masterKey });
    assert.deepEqual(await listed.json(), { keys: [{ name: 'default', value: hostKey }] });
  });

  it('answers 403 to a denied address and serves it again once the rule is lifted', async () => {
    const master = host.state.data.masterKey;
    const deny = {
      name: 'block-loopback',
      action: 'Deny',
      ipAddress: '127.0.0.0/8',
      priority: 100,
    };
    await call('/admin/app/accessRestrictions', {
      method: 'PUT',
      key: master,
      body: JSON.stringify({ rules: [deny] }),
    });
    const blocked = await call('/api/open');
    assert.equal(blocked.status, 403);
    assert.equal(await blocked.text(), 'Error 403 - Forbidden. Ip Forbidden.');

    await call('/admin/app/accessRestrictions', {
      method: 'PUT',
      key: master,
      body: JSON.stringify({ rules: [] }),
    });
    assert.equal((await call('/api/open')).status, 200);
  });

  it('answers 403 while the app is stopped and 404 for a disabled function', async () => {
    const master = host.state.data.masterKey;
    const put = (path: string, json: unknown) =>
      call(path, { method: 'PUT', key: master, body: JSON.stringify(json) });

    await put('/admin/app/state', { state: 'Stopped' });
    assert.equal((await call('/api/open')).status, 403);
    await put('/admin/app/state', { state: 'Running' });
    assert.equal((await call('/api/open')).status, 200);

    await put('/admin/app/functions/open/disabled', { disabled: true });
    assert.equal((await call('/api/open')).status, 404);
    await put('/admin/app/functions/open/disabled', { disabled: false });
    assert.equal((await call('/api/open')).status, 200);
  });

  it('answers 500 without details when a function throws', async () => {
    const response = await call('/api/fails');
    assert.equal(response.status, 500);
    assert.equal(await response.text(), '');
    assert.ok(logs.some((line) => line.includes('[fails] error')));
    assert.ok(!logs.some((line) => line.includes('secret detail')));
  });

  it('runs a timer function on request through the admin surface', async () => {
    const { timerRuns } = (await import('../../support/hostFixtureApp.js')) as {
      timerRuns: unknown[];
    };
    const before = timerRuns.length;
    const response = await call('/admin/functions/tick', {
      method: 'POST',
      key: host.state.data.masterKey,
      body: '{}',
    });
    assert.equal(response.status, 202);
    assert.equal(timerRuns.length, before + 1);
  });

  it('writes every request to the HTTP log with the function key redacted', async () => {
    await call('/api/echo/a?code=not-a-real-key', { method: 'POST' });
    const rows = (await readFile(join(dir, 'AppServiceHTTPLogs.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const last = rows.at(-1);
    assert.equal(last?.ScStatus, 401);
    assert.equal(last?.CsUriStem, '/api/echo/a');
    assert.equal(last?.CsUriQuery, 'code=REDACTED');
    assert.equal(last?.CIp, '127.0.0.1');
    assert.ok(!JSON.stringify(rows).includes('fixed-default-host-key'));
  });
});
