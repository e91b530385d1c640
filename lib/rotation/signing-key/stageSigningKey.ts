import type { SecretStore } from '../../credentials/SecretStore.js';
import {
  readSigningKeyVersion,
  signingKeyContentType,
  signingKeyVersionTags,
  validSigningKeyVersions,
} from '../../credentials/signingKeySecret.js';
import { keyFingerprint } from '../../signing/keyFingerprint.js';
import { StagedKeyInvalidError } from '../errors/StagedKeyInvalidError.js';
import type { RotationPolicy } from '../RotationPolicy.js';

/** A key an operator copied from the vendor's portal. `apiKeyHex` is the secret. */
export interface StageRequest {
  readonly keyId: string;
  readonly apiKeyHex: string;
  readonly expiresOn: Date;
}

/** Where a staged key goes and what it is checked against. */
export interface StageSigningKeyOptions {
  readonly store: SecretStore;
  readonly secretName: string;
  readonly pendingSecretName: string;
  readonly policy: RotationPolicy;
  readonly now: Date;
}

/** What was staged: never the key. */
export interface StagedKey {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly expiresOn: string;
  readonly pendingVersion: string;
  /** False when the same key was already staged: nothing new was written. */
  readonly written: boolean;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hexKey = /^(?:[0-9a-fA-F]{2}){16,}$/;
const maxLifetimeMs = 366 * 24 * 60 * 60 * 1000;

/**
 * Stages a key issued in the vendor's portal: checks it, then writes it to the pending secret,
 * where the rotation engine adopts it, tests it with a real signing call, and publishes it only if
 * that succeeds. Staging the same key twice is harmless; staging a different key retires the one
 * staged before. Throws {@link StagedKeyInvalidError} for a malformed key ID or key, an expiry in
 * the past, too soon or beyond a year, or a key that is already in use.
 */
export async function stageSigningKey(
  request: StageRequest,
  options: StageSigningKeyOptions,
): Promise<StagedKey> {
  const { store, secretName, pendingSecretName, policy, now } = options;
  const keyId = request.keyId.trim();
  const apiKeyHex = request.apiKeyHex.trim().toLowerCase();
  checkRequest(keyId, apiKeyHex, request.expiresOn, policy, now);

  const inUse = validSigningKeyVersions(await store.listVersions(secretName), now);
  if (inUse.some((version) => version.keyId === keyId)) {
    throw new StagedKeyInvalidError('keyId', `${keyId} is already a valid key in '${secretName}'`);
  }

  const fingerprint = keyFingerprint(apiKeyHex, keyId);
  const staged = (await store.listVersions(pendingSecretName)).filter(
    (properties) => properties.enabled !== false,
  );
  for (const properties of staged) {
    const version = tryRead(properties);
    if (
      version?.keyId === keyId &&
      version.fingerprint === fingerprint &&
      version.issuedBy === 'operator'
    ) {
      return {
        keyId,
        fingerprint,
        expiresOn: (version.expiresOn ?? request.expiresOn).toISOString(),
        pendingVersion: version.secretVersion,
        written: false,
      };
    }
  }

  const written = await store.setSecret(pendingSecretName, apiKeyHex, {
    tags: signingKeyVersionTags(keyId, apiKeyHex, { issuedBy: 'operator' }),
    expiresOn: request.expiresOn,
    contentType: signingKeyContentType,
  });
  // One staged key at a time: the engine adopts the newest, and older ones must not linger.
  for (const properties of staged) {
    if (tryRead(properties)?.issuedBy !== 'operator' || properties.version === undefined) continue;
    await store.setVersionEnabled(pendingSecretName, properties.version, false);
  }
  return {
    keyId,
    fingerprint,
    expiresOn: request.expiresOn.toISOString(),
    pendingVersion: written.version ?? '',
    written: true,
  };
}

function checkRequest(
  keyId: string,
  apiKeyHex: string,
  expiresOn: Date,
  policy: RotationPolicy,
  now: Date,
): void {
  if (!uuid.test(keyId)) {
    throw new StagedKeyInvalidError('keyId', 'is not a key ID as the portal shows it (a UUID)');
  }
  if (!hexKey.test(apiKeyHex)) {
    throw new StagedKeyInvalidError(
      'apiKey',
      'is not a hex API key (an even number of hex digits, at least 32)',
    );
  }
  if (Number.isNaN(expiresOn.getTime())) {
    throw new StagedKeyInvalidError('expiresOn', 'is not a date');
  }
  if (expiresOn.getTime() <= now.getTime()) {
    throw new StagedKeyInvalidError('expiresOn', `${expiresOn.toISOString()} is in the past`);
  }
  if (expiresOn.getTime() - now.getTime() > maxLifetimeMs) {
    throw new StagedKeyInvalidError(
      'expiresOn',
      `${expiresOn.toISOString()} is more than a year ahead, beyond the vendor's maximum; check the date`,
    );
  }
  const needed = policy.overlapMs + policy.quietMs;
  if (expiresOn.getTime() - now.getTime() <= needed) {
    throw new StagedKeyInvalidError(
      'expiresOn',
      `${expiresOn.toISOString()} is too soon: the key would expire before its rotation could ` +
        `finish (at least ${Math.ceil(needed / 86_400_000)} days are needed)`,
    );
  }
}

function tryRead(properties: Parameters<typeof readSigningKeyVersion>[0]) {
  try {
    return readSigningKeyVersion(properties);
  } catch {
    return undefined;
  }
}
