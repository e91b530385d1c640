import { keyFingerprint } from '../signing/keyFingerprint.js';
import type { SigningCredential } from '../signing/SigningCredential.js';
import { SigningKeySecretInvalidError } from './errors/SigningKeySecretInvalidError.js';

/**
 * The layout of signing API keys in Key Vault, shared by the function (which reads keys), the
 * rotation engine (which writes them) and the incident runbooks (which disable them).
 *
 * - One secret, named by the app setting `TS_API_KEY_SECRET_NAME` (default
 *   `trusted-signatures-api-key`, the vendor's example name).
 * - One secret VERSION per API key. Its value is the hex API key; its tags are `keyId` (the API key
 *   ID) and `fingerprint` (`keyFingerprint(hex, keyId)`), plus `issuedBy` and `rotationId` when the
 *   rotation engine wrote it; its `expiresOn` (`exp`) is the key's expiry at the signing service.
 * - A key is valid while its version is enabled, not expired, and not before its `notBefore`.
 *   Key Vault serves expired versions on GET (`exp` is informational), so validity is decided here.
 * - The preferred key is the newest valid version: the latest, once the rotation engine has
 *   published a successor. Deactivating a key (at the end of a rotation, or in an incident) means
 *   disabling its version.
 */
export const signingKeySecretNameSetting = 'TS_API_KEY_SECRET_NAME';

/** @default secret name, the one the vendor's guidance uses. */
export const defaultSigningKeySecretName = 'trusted-signatures-api-key';

/** Tag names on each version of the signing-key secret. */
export const signingKeyTags = {
  /** The API key ID the signing service assigned (required). */
  keyId: 'keyId',
  /** `keyFingerprint(value, keyId)`: names the key without revealing it (required). */
  fingerprint: 'fingerprint',
  /** Who obtained the key: `provider-api`, `operator`, or `seed`. */
  issuedBy: 'issuedBy',
  /** The rotation that published this version, when one did. */
  rotationId: 'rotationId',
} as const;

/** Content type written on every version, so the portal shows what the value is. */
export const signingKeyContentType = 'application/vnd.trusted-signatures.api-key+hex';

/** The managed credential name of the signing key in rotation state and `RotationStep` events. */
export const signingKeyCredentialName = 'signing-api-key';

/**
 * The properties of one secret version that the layout reads: a structural subset of the SDK's
 * `SecretProperties`, so an SDK object can be passed as it is.
 */
export interface SecretVersionProperties {
  readonly name: string;
  readonly version?: string | undefined;
  readonly enabled?: boolean | undefined;
  readonly notBefore?: Date | undefined;
  readonly expiresOn?: Date | undefined;
  readonly createdOn?: Date | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** One version of the signing-key secret, read and checked; no value. */
export interface SigningKeyVersion {
  readonly secretName: string;
  readonly secretVersion: string;
  readonly keyId: string;
  readonly fingerprint: string;
  readonly enabled: boolean;
  /** Absent only for versions written by hand without an expiry. */
  readonly expiresOn?: Date;
  readonly notBefore?: Date;
  readonly createdOn?: Date;
  readonly issuedBy?: string;
  readonly rotationId?: string;
}

const keyIdPattern = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;
const fingerprintPattern = /^sha256:[0-9a-f]{16}$/;

/**
 * Reads the layout's tags from one version. Throws {@link SigningKeySecretInvalidError} when the
 * version has no `keyId` or `fingerprint` tag, or either is malformed.
 */
export function readSigningKeyVersion(properties: SecretVersionProperties): SigningKeyVersion {
  const secretVersion = properties.version ?? '';
  const tags = properties.tags ?? {};
  const keyId = tags[signingKeyTags.keyId];
  const fingerprint = tags[signingKeyTags.fingerprint];
  const invalid = (problem: string) =>
    new SigningKeySecretInvalidError(properties.name, secretVersion, problem);
  if (secretVersion === '') throw invalid('the version has no identifier');
  if (keyId === undefined || !keyIdPattern.test(keyId)) {
    throw invalid(`the '${signingKeyTags.keyId}' tag is missing or not a key ID`);
  }
  if (fingerprint === undefined || !fingerprintPattern.test(fingerprint)) {
    throw invalid(`the '${signingKeyTags.fingerprint}' tag is missing or not a key fingerprint`);
  }
  const issuedBy = tags[signingKeyTags.issuedBy];
  const rotationId = tags[signingKeyTags.rotationId];
  return {
    secretName: properties.name,
    secretVersion,
    keyId,
    fingerprint,
    enabled: properties.enabled ?? true,
    ...(properties.expiresOn ? { expiresOn: properties.expiresOn } : {}),
    ...(properties.notBefore ? { notBefore: properties.notBefore } : {}),
    ...(properties.createdOn ? { createdOn: properties.createdOn } : {}),
    ...(issuedBy ? { issuedBy } : {}),
    ...(rotationId ? { rotationId } : {}),
  };
}

/** True when the version may sign at `now`: enabled, not expired, and past its `notBefore`. */
export function isSigningKeyValid(version: SigningKeyVersion, now: Date): boolean {
  if (!version.enabled) return false;
  if (version.expiresOn !== undefined && version.expiresOn.getTime() <= now.getTime()) return false;
  return version.notBefore === undefined || version.notBefore.getTime() <= now.getTime();
}

/**
 * The valid versions at `now`, preferred first: newest `createdOn` first (the latest version), since
 * a rotation's successor is written after the key it replaces. Versions without a usable layout are skipped and
 * reported through `onInvalid`, so one bad version does not hide the good ones.
 */
export function validSigningKeyVersions(
  versions: readonly SecretVersionProperties[],
  now: Date,
  onInvalid: (error: SigningKeySecretInvalidError) => void = () => undefined,
): SigningKeyVersion[] {
  const valid: SigningKeyVersion[] = [];
  for (const properties of versions) {
    if (properties.enabled === false) continue;
    try {
      const version = readSigningKeyVersion(properties);
      if (isSigningKeyValid(version, now)) valid.push(version);
    } catch (error) {
      if (!(error instanceof SigningKeySecretInvalidError)) throw error;
      onInvalid(error);
    }
  }
  return valid.sort(newestFirst);
}

/** The tags to write on a new version holding `apiKeyHex`. Throws `InvalidApiKeyFormatError`. */
export function signingKeyVersionTags(
  keyId: string,
  apiKeyHex: string,
  extra: { readonly issuedBy?: string; readonly rotationId?: string } = {},
): Record<string, string> {
  return {
    [signingKeyTags.keyId]: keyId,
    [signingKeyTags.fingerprint]: keyFingerprint(apiKeyHex, keyId),
    ...(extra.issuedBy ? { [signingKeyTags.issuedBy]: extra.issuedBy } : {}),
    ...(extra.rotationId ? { [signingKeyTags.rotationId]: extra.rotationId } : {}),
  };
}

/**
 * The credential held by a version, once its value has been read. Checks that the value is hex and
 * matches the `fingerprint` tag, so a value pasted under the wrong key ID is refused instead of
 * signing as someone else. Throws {@link SigningKeySecretInvalidError}.
 */
export function signingCredentialFromVersion(
  version: SigningKeyVersion,
  value: string,
): SigningCredential {
  const apiKeyHex = value.trim();
  let fingerprint: string;
  try {
    fingerprint = keyFingerprint(apiKeyHex, version.keyId);
  } catch {
    throw new SigningKeySecretInvalidError(
      version.secretName,
      version.secretVersion,
      'the value is not an even-length hex string',
    );
  }
  if (fingerprint !== version.fingerprint) {
    throw new SigningKeySecretInvalidError(
      version.secretName,
      version.secretVersion,
      `the value's fingerprint ${fingerprint} does not match the tag ${version.fingerprint}`,
    );
  }
  return {
    keyId: version.keyId,
    apiKeyHex,
    fingerprint,
    source: 'keyvault',
    secretVersion: version.secretVersion,
  };
}

// Key Vault keeps `created` in whole seconds, so two versions written in one second tie; the later
// expiry then wins, since a successor always outlives the key it replaces.
function newestFirst(a: SigningKeyVersion, b: SigningKeyVersion): number {
  const byCreation = (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0);
  if (byCreation !== 0) return byCreation;
  return (
    (b.expiresOn?.getTime() ?? Number.MAX_SAFE_INTEGER) -
    (a.expiresOn?.getTime() ?? Number.MAX_SAFE_INTEGER)
  );
}
