import type { AppControl } from '../../appcontrol/AppControl.js';
import type { SecretStore } from '../../credentials/SecretStore.js';
import {
  readSigningKeyVersion,
  signingCredentialFromVersion,
  signingKeyContentType,
  signingKeyCredentialName,
  signingKeyTags,
  signingKeyVersionTags,
  validSigningKeyVersions,
  type SecretVersionProperties,
  type SigningKeyVersion,
} from '../../credentials/signingKeySecret.js';
import { SigningKeySecretInvalidError } from '../../credentials/errors/SigningKeySecretInvalidError.js';
import type { SigningCredential } from '../../signing/SigningCredential.js';
import type {
  CredentialDriver,
  KeyInventory,
  StepContext,
  TestVerdict,
  UsageVerdict,
} from '../CredentialDriver.js';
import type { KeyUsageSource } from '../KeyUsageSource.js';
import type { ReferenceVersionSource } from '../ReferenceVersionSource.js';
import type { RotationPolicy } from '../RotationPolicy.js';
import type { CandidateRecord, KeyRecord } from '../RotationState.js';
import type { ProviderKeyApi } from './ProviderKeyApi.js';
import { revokeOrphanedKeys } from './revokeOrphanedKeys.js';

/** Options of {@link SigningKeyDriver}. */
export interface SigningKeyDriverOptions {
  readonly store: SecretStore;
  /** The signing-key secret the function reads. */
  readonly secretName: string;
  /** Where new keys wait, unused, until they pass their test: `<secretName>-pending`. */
  readonly pendingSecretName: string;
  readonly policy: RotationPolicy;
  /** The provider's key API; absent: operators stage keys issued in the vendor's portal. */
  readonly provider?: ProviderKeyApi;
  /** Lifetime to ask the provider for; absent: the provider's default (one year). */
  readonly keyLifetimeMs?: number;
  /** Proves a key with a real signing call (`testSigningKey` with the app's settings). */
  readonly test: (credential: SigningCredential) => Promise<TestVerdict>;
  readonly keyUsage: KeyUsageSource;
  /** Refreshes App Service's Key Vault references after publishing. */
  readonly appControl?: Pick<AppControl, 'refreshKeyVaultReferences'>;
  /** What App Service resolved, checked before an old key is deactivated (Azure). */
  readonly references?: ReferenceVersionSource;
}

/**
 * Rotates the signing API key in Key Vault (layout: `lib/credentials/signingKeySecret.ts`). New
 * keys come from the provider's API or from an operator (`sealops keys stage`), wait in the pending
 * secret, and are copied to the signing-key secret only after a real signing call succeeded with
 * them. An old key is disabled only once the app's own `ApiKeyUsed` events show it unused.
 */
export class SigningKeyDriver implements CredentialDriver {
  readonly credential = signingKeyCredentialName;
  readonly policy: RotationPolicy;
  readonly issuance: 'automatic' | 'operator';
  readonly description: string;
  readonly #options: SigningKeyDriverOptions;

  constructor(options: SigningKeyDriverOptions) {
    this.#options = options;
    this.policy = options.policy;
    this.issuance = options.provider ? 'automatic' : 'operator';
    this.description =
      `Key Vault secret '${options.secretName}' (pending: '${options.pendingSecretName}'); new keys ` +
      `${options.provider ? "from the provider's key API" : 'staged by an operator'}`;
  }

  async inventory(now: Date): Promise<KeyInventory> {
    const versions = await this.#options.store.listVersions(this.#options.secretName);
    return {
      valid: validSigningKeyVersions(versions, now).map((version) => ({
        keyId: version.keyId,
        fingerprint: version.fingerprint,
        secretVersion: version.secretVersion,
        ...(version.expiresOn ? { expiresOn: version.expiresOn } : {}),
      })),
    };
  }

  async findStaged(
    now: Date,
    excludeKeyIds: readonly string[],
  ): Promise<CandidateRecord | undefined> {
    const staged = validSigningKeyVersions(await this.#pendingVersions(), now).find(
      (version) => version.issuedBy === 'operator' && !excludeKeyIds.includes(version.keyId),
    );
    return staged && toCandidate(staged, 'operator', now);
  }

  async obtain(context: StepContext): Promise<CandidateRecord> {
    const { provider, store, pendingSecretName, keyLifetimeMs } = this.#options;
    if (provider === undefined) throw new Error('Keys are staged by operators: nothing to obtain.');
    const { rotation, now } = context;

    // Stored by an earlier attempt of this rotation that stopped before recording it.
    const stored = (await this.#pendingVersions())
      .filter((properties) => properties.enabled !== false)
      .map(tryRead)
      .find((version) => version?.rotationId === rotation.id);
    if (stored !== undefined) return toCandidate(stored, 'provider-api', now);

    if (rotation.issueIntents.length > 0)
      await revokeOrphanedKeys(context, provider, this.#knownKeyIds());
    await context.save({ issueIntents: [...rotation.issueIntents, now.toISOString()] });
    await context.checkpoint('obtain:intent-saved');

    const issued = await provider.issue(
      keyLifetimeMs === undefined ? undefined : new Date(now.getTime() + keyLifetimeMs),
    );
    await context.checkpoint('obtain:issued');
    const properties = await store.setSecret(pendingSecretName, issued.apiKeyHex, {
      tags: signingKeyVersionTags(issued.keyId, issued.apiKeyHex, {
        issuedBy: 'provider-api',
        rotationId: rotation.id,
      }),
      expiresOn: issued.expiresAt,
      contentType: signingKeyContentType,
    });
    await context.checkpoint('obtain:stored');
    return toCandidate(readSigningKeyVersion(properties), 'provider-api', now);
  }

  async test(context: StepContext, candidate: CandidateRecord): Promise<TestVerdict> {
    let credential: SigningCredential;
    try {
      credential = await this.#pendingCredential(candidate);
    } catch (error) {
      if (!(error instanceof SigningKeySecretInvalidError)) throw error;
      return { passed: false, code: error.code, reason: error.message };
    }
    await context.checkpoint('test:value-read');
    return this.#options.test(credential);
  }

  async discard(context: StepContext, candidate: CandidateRecord): Promise<void> {
    const { store, pendingSecretName, provider } = this.#options;
    if (candidate.pendingVersion !== undefined) {
      await store.setVersionEnabled(pendingSecretName, candidate.pendingVersion, false);
    }
    if (candidate.source === 'provider-api' && provider !== undefined) {
      await provider.revoke(candidate.keyId);
      context.audit('revoke', 'success', candidate.keyId, 'a new key that was never published');
    }
  }

  async publish(context: StepContext, candidate: CandidateRecord): Promise<string | undefined> {
    const { store, secretName, pendingSecretName } = this.#options;
    const { rotation } = context;
    const published = (await store.listVersions(secretName))
      .map(tryRead)
      .find((version) => version?.rotationId === rotation.id && version.keyId === candidate.keyId);
    if (published !== undefined) return published.secretVersion;

    const credential = await this.#pendingCredential(candidate);
    const properties = await store.setSecret(secretName, credential.apiKeyHex, {
      tags: signingKeyVersionTags(candidate.keyId, credential.apiKeyHex, {
        issuedBy: candidate.source,
        rotationId: rotation.id,
      }),
      ...(candidate.expiresOn ? { expiresOn: new Date(candidate.expiresOn) } : {}),
      contentType: signingKeyContentType,
    });
    await context.checkpoint('publish:written');
    // The value now lives in the signing-key secret only.
    if (candidate.pendingVersion !== undefined) {
      await store.setVersionEnabled(pendingSecretName, candidate.pendingVersion, false);
    }
    return properties.version;
  }

  async refresh(): Promise<void> {
    await this.#options.appControl?.refreshKeyVaultReferences();
  }

  async usage(
    context: StepContext,
    previous: readonly KeyRecord[],
    since: Date,
  ): Promise<UsageVerdict> {
    for (const key of previous) {
      const { uses, lastUsedAt } = await this.#options.keyUsage.usage(
        key.keyId,
        since,
        context.now,
      );
      if (uses > 0) {
        return {
          quiet: false,
          reason:
            `key ${key.keyId} signed ${uses} time(s) since ${since.toISOString()}, last at ` +
            `${lastUsedAt?.toISOString() ?? 'an unknown time'}`,
        };
      }
    }
    const references = await this.#options.references?.list();
    const oldVersions = new Set(previous.flatMap(({ secretVersion }) => secretVersion ?? []));
    for (const reference of references ?? []) {
      if (reference.secretName !== this.#options.secretName) continue;
      if (reference.status !== 'Resolved') {
        return {
          quiet: false,
          reason: `the Key Vault reference in app setting ${reference.setting} is ${reference.status}`,
        };
      }
      if (reference.activeVersion !== undefined && oldVersions.has(reference.activeVersion)) {
        return {
          quiet: false,
          reason:
            `app setting ${reference.setting} still resolves the old secret version ` +
            reference.activeVersion,
        };
      }
    }
    return { quiet: true };
  }

  async deactivate(context: StepContext, key: KeyRecord): Promise<void> {
    const { store, secretName, provider } = this.#options;
    for (const properties of await store.listVersions(secretName)) {
      const version = tryRead(properties);
      if (version?.keyId !== key.keyId || properties.enabled === false) continue;
      await store.setVersionEnabled(secretName, version.secretVersion, false);
    }
    await context.checkpoint('deactivate:disabled');
    if (provider === undefined) {
      context.audit(
        'revoke',
        'skipped',
        key.keyId,
        'no provider key API: revoke the key in the Trusted Signatures portal',
      );
      return;
    }
    const revoked = await provider.revoke(key.keyId);
    context.audit(
      'revoke',
      'success',
      key.keyId,
      revoked === 'unknown' ? 'unknown to the provider' : undefined,
    );
  }

  async #pendingVersions(): Promise<SecretVersionProperties[]> {
    return this.#options.store.listVersions(this.#options.pendingSecretName);
  }

  async #pendingCredential(candidate: CandidateRecord): Promise<SigningCredential> {
    const { store, pendingSecretName } = this.#options;
    if (candidate.pendingVersion === undefined) {
      throw new SigningKeySecretInvalidError(
        pendingSecretName,
        '',
        'the candidate has no pending version',
      );
    }
    const version: SigningKeyVersion = {
      secretName: pendingSecretName,
      secretVersion: candidate.pendingVersion,
      keyId: candidate.keyId,
      fingerprint: candidate.fingerprint,
      enabled: true,
    };
    return signingCredentialFromVersion(
      version,
      await store.getValue(pendingSecretName, candidate.pendingVersion),
    );
  }

  /** Key IDs that must never be taken for orphans: they are stored somewhere. */
  #knownKeyIds(): () => Promise<Set<string>> {
    return async () => {
      const { store, secretName } = this.#options;
      const all = [...(await store.listVersions(secretName)), ...(await this.#pendingVersions())];
      return new Set(all.flatMap((properties) => properties.tags?.[signingKeyTags.keyId] ?? []));
    };
  }
}

function tryRead(properties: SecretVersionProperties): SigningKeyVersion | undefined {
  try {
    return readSigningKeyVersion(properties);
  } catch {
    return undefined;
  }
}

function toCandidate(
  version: SigningKeyVersion,
  source: CandidateRecord['source'],
  now: Date,
): CandidateRecord {
  return {
    keyId: version.keyId,
    fingerprint: version.fingerprint,
    ...(version.expiresOn ? { expiresOn: version.expiresOn.toISOString() } : {}),
    source,
    pendingVersion: version.secretVersion,
    obtainedAt: (version.createdOn ?? now).toISOString(),
  };
}
