import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { RestError, SecretClient } from '@azure/keyvault-secrets';

import type { VaultRequestRecord } from '../../../local/keyvault/createVaultRequestHandler.js';
import { localVaultClientOptions } from '../../../local/keyvault/localVaultClientOptions.js';
import { localVaultCredential } from '../../../local/keyvault/localVaultCredential.js';
import type { LocalKeyVault } from '../../../local/keyvault/startLocalKeyVault.js';
import type { LocalVaultFixture } from './localVaultFixture.js';
import { createLocalVaultFixture } from './localVaultFixture.js';
import { KNOWN_API_VERSIONS } from '../../../local/keyvault/knownApiVersions.js';

type ServiceVersion = NonNullable<SecretClientOptions['serviceVersion']>;

/** Every api-version `@azure/keyvault-secrets` lets a client pin. */
const SERVICE_VERSIONS = KNOWN_API_VERSIONS as readonly ServiceVersion[];

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

let fixture: LocalVaultFixture;

before(async () => {
  fixture = await createLocalVaultFixture();
});

after(async () => {
  await fixture.cleanup();
});

/** Asserts that `promise` fails as the service fails: status, code, inner code and message. */
async function assertServiceError(
  promise: Promise<unknown>,
  expected: { statusCode: number; code: string; innerCode?: string; message?: string },
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RestError, 'expected a RestError');
    assert.equal(error.statusCode, expected.statusCode);
    assert.equal(error.code, expected.code);
    if (expected.message !== undefined) {
      assert.equal(error.message, expected.message);
    }
    const details = error.details as { error?: { innerError?: { code?: string } } } | undefined;
    assert.equal(details?.error?.innerError?.code, expected.innerCode);
    return true;
  });
}

for (const serviceVersion of SERVICE_VERSIONS) {
  void describe(`SecretClient pinned to serviceVersion ${serviceVersion}`, () => {
    const stateName = `vault-${serviceVersion}`;
    const seen: VaultRequestRecord[] = [];
    let vault: LocalKeyVault;
    let client: SecretClient;

    const startVault = async (): Promise<void> => {
      vault = await fixture.start({
        stateName,
        strictApiVersion: true,
        onRequest: (record) => seen.push(record),
      });
      client = new SecretClient(
        vault.url,
        localVaultCredential(),
        localVaultClientOptions(fixture.tls.caPem, serviceVersion),
      );
    };

    before(startVault);
    after(() => vault.close());

    void test('sets a secret, then reads the latest version and an exact older version', async () => {
      const first = await client.setSecret('signing-key', 'first-value', {
        contentType: 'text/plain',
        tags: { keyId: 'key-1' },
      });
      const second = await client.setSecret('signing-key', 'second-value');

      assert.match(first.properties.version ?? '', /^[0-9a-f]{32}$/);
      assert.notEqual(second.properties.version, first.properties.version);
      assert.equal(first.properties.vaultUrl, vault.url);
      assert.equal(
        first.properties.id,
        `${vault.url}/secrets/signing-key/${first.properties.version}`,
      );

      const latest = await client.getSecret('signing-key');
      assert.equal(latest.value, 'second-value');
      assert.equal(latest.properties.version, second.properties.version);

      const older = await client.getSecret('signing-key', { version: first.properties.version });
      assert.equal(older.value, 'first-value');
      assert.equal(older.properties.contentType, 'text/plain');
      assert.deepEqual(older.properties.tags, { keyId: 'key-1' });
    });

    void test('answers 404 SecretNotFound for a name that was never set', async () => {
      await assertServiceError(client.getSecret('never-set'), {
        statusCode: 404,
        code: 'SecretNotFound',
        message:
          'A secret with (name/id) never-set was not found in this key vault. If you recently ' +
          'deleted this secret you may be able to recover it using the correct recovery command.',
      });
    });

    void test('lists versions in pages of maxresults by following nextLink', async () => {
      for (let index = 0; index < 7; index += 1) {
        await client.setSecret('paged', `value-${index}`);
      }

      const pageSizes: number[] = [];
      const versions = new Set<string | undefined>();
      const pages = client.listPropertiesOfSecretVersions('paged').byPage({ maxPageSize: 3 });
      for await (const page of pages) {
        pageSizes.push(page.length);
        page.forEach((properties) => versions.add(properties.version));
      }
      assert.deepEqual(pageSizes, [3, 3, 1]);
      assert.equal(versions.size, 7);

      let count = 0;
      for await (const properties of client.listPropertiesOfSecretVersions('paged')) {
        assert.equal(properties.name, 'paged');
        count += 1;
      }
      assert.equal(count, 7);
    });

    void test('lists secrets one per page, each without a version in its id', async () => {
      const names: string[] = [];
      for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 })) {
        assert.ok(page.length <= 1);
        for (const properties of page) {
          assert.equal(properties.version, undefined);
          assert.equal(properties.id, `${vault.url}/secrets/${properties.name}`);
          names.push(properties.name);
        }
      }
      assert.ok(names.includes('signing-key'), `signing-key missing from ${names.join(', ')}`);
      assert.ok(names.includes('paged'), `paged missing from ${names.join(', ')}`);
    });

    void test('updates the tags, enabled flag and expiry of one version', async () => {
      const set = await client.setSecret('updatable', 'value', { tags: { a: '1', b: '2' } });
      const expiresOn = new Date((vault.clock.nowSeconds() + 3600) * 1000);

      const updated = await client.updateSecretProperties(
        'updatable',
        set.properties.version ?? '',
        {
          tags: { c: '3' },
          expiresOn,
          enabled: true,
        },
      );

      // Tags are replaced, not merged.
      assert.deepEqual(updated.tags, { c: '3' });
      assert.equal(updated.expiresOn?.getTime(), expiresOn.getTime());
      const read = await client.getSecret('updatable');
      assert.equal(read.value, 'value');
      assert.deepEqual(read.properties.tags, { c: '3' });
      assert.equal(read.properties.expiresOn?.getTime(), expiresOn.getTime());
    });

    void test('refuses to read a disabled version with 403 Forbidden / SecretDisabled until it is enabled again', async () => {
      const set = await client.setSecret('disabled-key', 'hidden');
      const version = set.properties.version ?? '';
      await client.updateSecretProperties('disabled-key', version, { enabled: false });

      const disabled = {
        statusCode: 403,
        code: 'Forbidden',
        innerCode: 'SecretDisabled',
        message: 'Operation get is not allowed on a disabled secret.',
      };
      await assertServiceError(client.getSecret('disabled-key'), disabled);
      await assertServiceError(client.getSecret('disabled-key', { version }), disabled);

      const listed: boolean[] = [];
      for await (const properties of client.listPropertiesOfSecretVersions('disabled-key')) {
        listed.push(properties.enabled ?? true);
      }
      assert.deepEqual(listed, [false]);

      await client.updateSecretProperties('disabled-key', version, { enabled: true });
      assert.equal((await client.getSecret('disabled-key')).value, 'hidden');
    });

    void test('deletes through the poller, shows the deleted secret, then recovers it', async () => {
      await client.setSecret('recoverable', 'keep-me');

      const deleted = await (await client.beginDeleteSecret('recoverable')).pollUntilDone();
      assert.equal(deleted.recoveryId, `${vault.url}/deletedsecrets/recoverable`);
      assert.equal(deleted.value, undefined);
      assert.equal(
        deleted.scheduledPurgeDate?.getTime(),
        (deleted.deletedOn?.getTime() ?? 0) + 90 * DAY_MS,
      );

      const shown = await client.getDeletedSecret('recoverable');
      assert.equal(shown.name, 'recoverable');
      const deletedNames: string[] = [];
      for await (const item of client.listDeletedSecrets()) {
        deletedNames.push(item.name);
      }
      assert.ok(deletedNames.includes('recoverable'));
      await assertServiceError(client.getSecret('recoverable'), {
        statusCode: 404,
        code: 'SecretNotFound',
      });
      await assertServiceError(client.setSecret('recoverable', 'other'), {
        statusCode: 409,
        code: 'Conflict',
        innerCode: 'ObjectIsDeletedButRecoverable',
      });

      await (await client.beginRecoverDeletedSecret('recoverable')).pollUntilDone();
      assert.equal((await client.getSecret('recoverable')).value, 'keep-me');
    });

    void test('purges a deleted secret, after which the name starts again from one version', async () => {
      await client.setSecret('purgeable', 'old');
      await (await client.beginDeleteSecret('purgeable')).pollUntilDone();

      await client.purgeDeletedSecret('purgeable');

      await assertServiceError(client.getDeletedSecret('purgeable'), {
        statusCode: 404,
        code: 'SecretNotFound',
        message: 'Deleted Secret not found: purgeable',
      });
      await client.setSecret('purgeable', 'new');
      let versions = 0;
      for await (const properties of client.listPropertiesOfSecretVersions('purgeable')) {
        assert.equal(properties.name, 'purgeable');
        versions += 1;
      }
      assert.equal(versions, 1);
      assert.equal((await client.getSecret('purgeable')).value, 'new');
    });

    void test('backs up a secret with all its versions and restores it after a purge', async () => {
      const first = await client.setSecret('backed-up', 'one');
      const second = await client.setSecret('backed-up', 'two');
      const backup = await client.backupSecret('backed-up');
      assert.ok(backup instanceof Uint8Array);

      await assertServiceError(client.restoreSecretBackup(backup), {
        statusCode: 409,
        code: 'Conflict',
      });
      await (await client.beginDeleteSecret('backed-up')).pollUntilDone();
      await client.purgeDeletedSecret('backed-up');

      const restored = await client.restoreSecretBackup(backup);
      assert.equal(restored.name, 'backed-up');
      assert.equal(restored.version, second.properties.version);
      assert.equal((await client.getSecret('backed-up')).value, 'two');
      const older = await client.getSecret('backed-up', { version: first.properties.version });
      assert.equal(older.value, 'one');
    });

    void test('retries a request throttled with 429 and Retry-After, then succeeds', async () => {
      await client.setSecret('throttled', 'value');
      const throttledBefore = vault.faults.throttledCount;

      vault.faults.throttleNext(2, { retryAfterMs: 5 });
      const read = await client.getSecret('throttled');

      assert.equal(read.value, 'value');
      assert.equal(vault.faults.throttledCount - throttledBefore, 2);
      assert.equal(vault.faults.pendingThrottles, 0);
      const answers = seen
        .filter((record) => record.path === '/secrets/throttled/')
        .map((record) => record.status);
      assert.deepEqual(answers, [429, 429, 200]);
    });

    void test('keeps serving a secret past its expiry once the clock has moved, as the service does', async () => {
      const expiresOn = new Date((vault.clock.nowSeconds() + 3600) * 1000);
      await client.setSecret('expiring', 'still-served', { expiresOn });

      vault.setClockOffset(2 * HOUR_MS);
      try {
        const read = await client.getSecret('expiring');
        assert.equal(read.value, 'still-served');
        assert.equal(read.properties.expiresOn?.getTime(), expiresOn.getTime());
        assert.ok((read.properties.expiresOn?.getTime() ?? Infinity) < vault.clock.now().getTime());

        const next = await client.setSecret('expiring', 'rotated');
        assert.ok((next.properties.createdOn?.getTime() ?? 0) > expiresOn.getTime());
      } finally {
        vault.setClockOffset(0);
      }
    });

    void test('purges a deleted secret by itself once its retention has passed on the clock', async () => {
      await client.setSecret('forgotten', 'value');
      await (await client.beginDeleteSecret('forgotten')).pollUntilDone();

      vault.setClockOffset(91 * DAY_MS);
      try {
        await assertServiceError(client.getDeletedSecret('forgotten'), {
          statusCode: 404,
          code: 'SecretNotFound',
        });
        assert.equal((await client.setSecret('forgotten', 'fresh')).value, 'fresh');
      } finally {
        vault.setClockOffset(0);
      }
    });

    void test('keeps its secrets, versions and deleted secrets across a restart on the same state', async () => {
      const set = await client.setSecret('durable', 'survives');
      await client.setSecret('durable-deleted', 'gone-for-now');
      await (await client.beginDeleteSecret('durable-deleted')).pollUntilDone();

      await vault.close();
      await startVault();

      const read = await client.getSecret('durable');
      assert.equal(read.value, 'survives');
      assert.equal(read.properties.version, set.properties.version);
      assert.equal(read.properties.id, `${vault.url}/secrets/durable/${set.properties.version}`);
      assert.equal((await client.getDeletedSecret('durable-deleted')).name, 'durable-deleted');
    });

    void test(`sent api-version ${serviceVersion} on every request, pages included`, () => {
      assert.ok(seen.length > 0);
      const others = seen.filter((record) => record.apiVersion !== serviceVersion);
      assert.deepEqual(others, []);
      assert.ok(seen.some((record) => record.path === '/secrets/paged/versions'));
    });
  });
}

void describe('SecretClient against the local vault: trust and authentication', () => {
  void test('refuses the local certificate when the client does not trust the local CA', async () => {
    const vault = await fixture.start({ stateName: 'trust' });
    const client = new SecretClient(vault.url, localVaultCredential(), {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });

    await assert.rejects(client.getSecret('anything'), (error: unknown) => {
      assert.ok(error instanceof RestError);
      assert.equal(error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      return true;
    });
  });

  void test('answers 401 Unauthorized to a token the vault was told not to accept', async () => {
    const vault = await fixture.start({ stateName: 'tokens', acceptedTokens: ['right-token'] });
    const options = localVaultClientOptions(fixture.tls.caPem);
    const wrong = new SecretClient(vault.url, localVaultCredential('wrong-token'), options);
    const right = new SecretClient(vault.url, localVaultCredential('right-token'), options);

    await assertServiceError(wrong.setSecret('guarded', 'value'), {
      statusCode: 401,
      code: 'Unauthorized',
    });
    await right.setSecret('guarded', 'value');
    assert.equal((await right.getSecret('guarded')).value, 'value');
  });
});
