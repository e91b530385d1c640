import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createSecretClient } from '../../../lib/azure/createSecretClient.js';
import { KeyVaultSecretStore } from '../../../lib/azure/KeyVaultSecretStore.js';
import { KeyVaultSigningCredentials } from '../../../lib/credentials/KeyVaultSigningCredentials.js';
import { signingKeyVersionTags } from '../../../lib/credentials/signingKeySecret.js';
import type { LocalKeyVault } from '../../../local/keyvault/startLocalKeyVault.js';
import {
  createLocalVaultFixture,
  type LocalVaultFixture,
} from '../../e2e/keyvault/localVaultFixture.js';

const secretName = 'trusted-signatures-api-key';
const first = { keyId: '11111111-1111-4111-8111-111111111111', hex: '11'.repeat(32) };
const second = { keyId: '22222222-2222-4222-8222-222222222222', hex: '22'.repeat(32) };

describe('signing keys read from Key Vault', () => {
  let fixture: LocalVaultFixture;
  let vault: LocalKeyVault;
  let store: KeyVaultSecretStore;
  let now = new Date('2026-06-01T00:00:00.000Z');
  before(async () => {
    fixture = await createLocalVaultFixture();
    vault = await fixture.start({ clock: () => now });
    store = new KeyVaultSecretStore(
      createSecretClient({
        vaultUrl: vault.url,
        secretName,
        caFile: fixture.tls.caPath,
        localCredential: true,
        cacheTtlMs: 0,
      }),
    );
  });
  after(async () => fixture.cleanup());

  const write = (key: typeof first, expiresOn: Date) =>
    store.setSecret(secretName, key.hex, {
      tags: signingKeyVersionTags(key.keyId, key.hex),
      expiresOn,
    });

  test('every valid key is known, the newest preferred, and the list is reused until the cache ends', async () => {
    await write(first, new Date('2027-01-01T00:00:00.000Z'));
    const credentials = new KeyVaultSigningCredentials({
      store,
      secretName,
      clock: () => now,
      cacheTtlMs: 60_000,
    });
    assert.deepEqual(
      (await credentials.current()).map(({ keyId }) => keyId),
      [first.keyId],
    );

    now = new Date(now.getTime() + 1000);
    await write(second, new Date('2027-06-01T00:00:00.000Z'));
    assert.deepEqual(
      (await credentials.current()).map(({ keyId }) => keyId),
      [first.keyId],
    );
    now = new Date(now.getTime() + 60_000);
    const keys = await credentials.current();
    assert.deepEqual(
      keys.map(({ keyId }) => keyId),
      [second.keyId, first.keyId],
    );
    assert.equal(keys[0]?.source, 'keyvault');
  });

  test('while Key Vault throttles, the last list keeps serving and the problem is reported', async () => {
    const problems: string[] = [];
    const credentials = new KeyVaultSigningCredentials({
      store,
      secretName,
      clock: () => now,
      cacheTtlMs: 0,
      onProblem: (message) => problems.push(message),
    });
    assert.equal((await credentials.current()).length, 2);
    vault.faults.throttleNext(20, { retryAfterMs: 5 });
    assert.equal((await credentials.current()).length, 2);
    vault.faults.clear();
    assert.match(problems[0] ?? '', /^Key Vault could not be read \(Key Vault answered 429/);
  });
});
