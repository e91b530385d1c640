import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { LocalVaultStateError } from '../../../local/keyvault/errors/LocalVaultStateError.js';
import type { LocalKeyVault } from '../../../local/keyvault/startLocalKeyVault.js';
import type { LocalVaultFixture, RawAnswer } from './localVaultFixture.js';
import { createLocalVaultFixture, sendRaw } from './localVaultFixture.js';

const AUTHORIZED = { authorization: 'Bearer any-token', 'content-type': 'application/json' };

let fixture: LocalVaultFixture;
let vault: LocalKeyVault;

before(async () => {
  fixture = await createLocalVaultFixture();
  vault = await fixture.start();
});

after(async () => {
  await fixture.cleanup();
});

function call(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<RawAnswer> {
  return sendRaw(`${init.base ?? vault.url}${path}`, fixture.tls.caPem, {
    method: init.method ?? 'GET',
    headers: init.headers ?? AUTHORIZED,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

function setSecret(name: string, body: unknown): Promise<RawAnswer> {
  return call(`/secrets/${name}?api-version=7.6`, { method: 'PUT', body });
}

void describe('local Key Vault wire contract', () => {
  void test('answers a request without a bearer token with 401 and the challenge, and acts on nothing', async () => {
    const answer = await call('/secrets/unauthenticated?api-version=7.6', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: { value: 'must-not-be-stored' },
    });

    assert.equal(answer.status, 401);
    assert.equal(
      answer.headers['www-authenticate'],
      'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", ' +
        'resource="https://vault.azure.net"',
    );
    assert.deepEqual(answer.body, {
      error: {
        code: 'Unauthorized',
        message: 'AKV10000: Request is missing a Bearer or PoP token.',
      },
    });
    assert.equal((await call('/secrets/unauthenticated/?api-version=7.6')).status, 404);
  });

  void test('writes innererror in lower case, as the service does', async () => {
    await setSecret('wire-disabled', { value: 'v', attributes: { enabled: false } });

    const answer = await call('/secrets/wire-disabled/?api-version=7.6');

    assert.equal(answer.status, 403);
    assert.deepEqual(answer.body, {
      error: {
        code: 'Forbidden',
        message: 'Operation get is not allowed on a disabled secret.',
        innererror: { code: 'SecretDisabled' },
      },
    });
  });

  void test('serves the latest version at /secrets/{name} and at /secrets/{name}/', async () => {
    await setSecret('wire-latest', { value: 'one' });
    await setSecret('wire-latest', { value: 'two' });

    for (const path of ['/secrets/wire-latest', '/secrets/wire-latest/']) {
      const answer = await call(`${path}?api-version=7.6`);
      assert.equal(answer.status, 200);
      assert.equal((answer.body as { value: string }).value, 'two');
    }
  });

  void test('returns Unix-second attributes and an absolute id without a trailing slash', async () => {
    const answer = await setSecret('wire-shape', {
      value: 'v',
      contentType: 'text/plain',
      tags: { keyId: 'k-1' },
      attributes: { exp: 4102444800, nbf: 1700000000 },
    });

    const body = answer.body as { id: string; attributes: Record<string, unknown> };
    assert.match(body.id, new RegExp(`^${vault.url}/secrets/wire-shape/[0-9a-f]{32}$`));
    assert.equal(body.attributes.exp, 4102444800);
    assert.equal(body.attributes.nbf, 1700000000);
    assert.equal(body.attributes.enabled, true);
    assert.ok(Number.isInteger(body.attributes.created));
    assert.equal(body.attributes.recoveryLevel, 'Recoverable+Purgeable');
    assert.equal(body.attributes.recoverableDays, 90);
  });

  void test('builds nextLink as an absolute URL on this vault with api-version, $skiptoken and maxresults', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await setSecret(name, { value: 'v' });
    }
    const lastPage = await call('/secrets/page-a/versions?api-version=7.6&maxresults=1');
    assert.equal(lastPage.status, 200);
    assert.equal((lastPage.body as { nextLink: unknown }).nextLink, null);

    const listed = await call('/secrets?api-version=7.5&maxresults=2');
    const page = listed.body as { value: { id: string }[]; nextLink: string };
    assert.equal(page.value.length, 2);
    assert.match(
      page.nextLink,
      new RegExp(
        `^${vault.url}/secrets\\?api-version=7\\.5&\\$skiptoken=[A-Za-z0-9_-]+&maxresults=2$`,
      ),
    );

    const seenIds = new Set(page.value.map((item) => item.id));
    let next: string | null = page.nextLink;
    while (next !== null) {
      const answer = await sendRaw(next, fixture.tls.caPem, { headers: AUTHORIZED });
      const body = answer.body as { value: { id: string }[]; nextLink: string | null };
      body.value.forEach((item) => seenIds.add(item.id));
      next = body.nextLink;
    }
    for (const name of ['page-a', 'page-b', 'page-c']) {
      assert.ok(seenIds.has(`${vault.url}/secrets/${name}`), `${name} missing from the pages`);
    }
  });

  void test('refuses maxresults outside 1 to 25 with 400 BadParameter', async () => {
    const answer = await call('/secrets?api-version=7.6&maxresults=26');

    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, {
      error: {
        code: 'BadParameter',
        message: 'The parameter maxresults is not valid: it must be an integer from 1 to 25.',
      },
    });
  });

  void test('builds ids from the host the client addressed', async () => {
    const base = vault.url.replace('127.0.0.1', 'localhost');

    const answer = await call('/secrets/addressed?api-version=7.6', {
      method: 'PUT',
      body: { value: 'v' },
      base,
    });

    assert.match((answer.body as { id: string }).id, new RegExp(`^${base}/secrets/addressed/`));
  });

  void test('in strict mode refuses an unknown api-version with 400 BadParameter; otherwise serves it', async () => {
    const strict = await fixture.start({ stateName: 'strict', strictApiVersion: true });

    const refused = await call('/secrets?api-version=9.9', { base: strict.url });
    const served = await call('/secrets?api-version=9.9');

    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, {
      error: {
        code: 'BadParameter',
        message:
          'The specified version (9.9) is not recognized. Consider using the latest supported ' +
          'version (2026-04-01).',
      },
    });
    assert.equal(served.status, 200);
  });

  void test('refuses a secret name outside the Key Vault alphabet with 400 BadParameter', async () => {
    const answer = await setSecret('bad_name', { value: 'v' });

    assert.equal(answer.status, 400);
    assert.equal(
      (answer.body as { error: { message: string } }).error.message,
      'The parameter secret-name is not valid: it must be 1 to 127 characters from 0-9, a-z, A-Z and -.',
    );
  });

  void test('refuses a body that is not JSON without repeating it', async () => {
    const answer = await setSecret('wire-json', '{"value": "super-secret-material"');

    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, {
      error: { code: 'BadParameter', message: 'The parameter body is not valid: it must be JSON.' },
    });
  });

  void test('refuses a value over 25 KB', async () => {
    const answer = await setSecret('wire-large', { value: 'x'.repeat(25 * 1024 + 1) });

    assert.equal(answer.status, 400);
    assert.equal(
      (answer.body as { error: { message: string } }).error.message,
      'The parameter value is not valid: it must be at most 25600 bytes.',
    );
  });

  void test('replaces tags on update and clears the expiry when it is sent as null', async () => {
    const set = await setSecret('wire-patch', {
      value: 'v',
      tags: { a: '1', b: '2' },
      attributes: { exp: 4102444800 },
    });
    const version = (set.body as { id: string }).id.split('/').at(-1) ?? '';

    const patched = await call(`/secrets/wire-patch/${version}?api-version=7.6`, {
      method: 'PATCH',
      body: { tags: { c: '3' }, attributes: { exp: null } },
    });

    const body = patched.body as {
      tags: unknown;
      attributes: Record<string, unknown>;
      value?: unknown;
    };
    assert.equal(patched.status, 200);
    assert.deepEqual(body.tags, { c: '3' });
    assert.equal(body.attributes.exp, undefined);
    assert.equal(body.value, undefined);
  });

  void test('throttles only the operations asked for, with Retry-After in seconds and in milliseconds', async () => {
    vault.faults.throttleNext(1, { retryAfterMs: 1500, operations: ['getSecrets'] });

    const other = await call('/secrets/not-throttled/?api-version=7.6');
    const unauthenticated = await call('/secrets?api-version=7.6', { headers: {} });
    const throttled = await call('/secrets?api-version=7.6');
    const afterwards = await call('/secrets?api-version=7.6');

    assert.equal(other.status, 404);
    assert.equal(unauthenticated.status, 401);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '2');
    assert.equal(throttled.headers['x-ms-retry-after-ms'], '1500');
    assert.equal((throttled.body as { error: { code: string } }).error.code, 'Throttled');
    assert.equal(afterwards.status, 200);
  });

  void test('treats secret names case-insensitively and keeps the first spelling', async () => {
    await setSecret('Mixed-Case', { value: 'one' });
    await setSecret('mixed-case', { value: 'two' });

    const answer = await call('/secrets/MIXED-CASE/versions?api-version=7.6');

    const ids = (answer.body as { value: { id: string }[] }).value.map((item) => item.id);
    assert.equal(ids.length, 2);
    assert.ok(ids.every((id) => id.startsWith(`${vault.url}/secrets/Mixed-Case/`)));
  });

  void test('purges with 204 and no body', async () => {
    await setSecret('wire-purge', { value: 'v' });
    await call('/secrets/wire-purge?api-version=7.6', { method: 'DELETE' });

    const answer = await call('/deletedsecrets/wire-purge?api-version=7.6', { method: 'DELETE' });

    assert.equal(answer.status, 204);
    assert.equal(answer.body, undefined);
  });

  void test('answers 405 for a method a path does not take and 404 for a path it does not serve', async () => {
    const wrongMethod = await call('/secrets/some-name/versions?api-version=7.6', {
      method: 'PUT',
    });
    const unknownPath = await call('/keys/some-key?api-version=7.6');

    assert.equal(wrongMethod.status, 405);
    assert.equal(
      (wrongMethod.body as { error: { message: string } }).error.message,
      'PUT is not allowed on /secrets/some-name/versions; use GET.',
    );
    assert.equal(unknownPath.status, 404);
    assert.equal((unknownPath.body as { error: { code: string } }).error.code, 'NotFound');
  });

  void test('keeps its state in a file only its owner can read', async () => {
    await setSecret('wire-file', { value: 'v' });

    const { mode } = await stat(vault.statePath);

    assert.equal(mode & 0o777, 0o600);
  });

  void test('refuses to start on a damaged state file instead of overwriting it', async () => {
    const stateDir = join(fixture.dir, 'damaged');
    await mkdir(stateDir);
    await writeFile(
      join(stateDir, 'keyvault-state.json'),
      '{"format": "sealops-local-keyvault", "secre',
    );

    await assert.rejects(fixture.start({ stateName: 'damaged' }), (error: unknown) => {
      assert.ok(error instanceof LocalVaultStateError);
      assert.equal(error.code, 'LOCAL_VAULT_STATE_INVALID');
      assert.equal(
        error.message,
        `The local Key Vault state file ${join(stateDir, 'keyvault-state.json')} is not JSON; ` +
          'move it away (or delete it to start with an empty vault) and start again.',
      );
      return true;
    });
    assert.equal(
      await readFile(join(stateDir, 'keyvault-state.json'), 'utf8'),
      '{"format": "sealops-local-keyvault", "secre',
    );
  });
});
