import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  isSigningKeyValid,
  readSigningKeyVersion,
  signingCredentialFromVersion,
  signingKeyVersionTags,
  validSigningKeyVersions,
  type SecretVersionProperties,
} from '../../../lib/credentials/signingKeySecret.js';
import { keyFingerprint } from '../../../lib/signing/keyFingerprint.js';

const now = new Date('2026-06-01T00:00:00.000Z');
const hex = 'ab'.repeat(32);
const keyId = '6b1f9a4e-0c1d-4a7b-9a3e-2f4d5c6b7a80';

function version(overrides: Partial<SecretVersionProperties> = {}): SecretVersionProperties {
  return {
    name: 'trusted-signatures-api-key',
    version: 'v1',
    enabled: true,
    createdOn: new Date('2026-01-01T00:00:00.000Z'),
    expiresOn: new Date('2027-01-01T00:00:00.000Z'),
    tags: signingKeyVersionTags(keyId, hex, { issuedBy: 'seed' }),
    ...overrides,
  };
}

describe('the signing-key secret layout', () => {
  test('a version carries its key ID and fingerprint in tags, and its expiry in exp', () => {
    const read = readSigningKeyVersion(version());
    assert.equal(read.keyId, keyId);
    assert.equal(read.fingerprint, keyFingerprint(hex, keyId));
    assert.equal(read.issuedBy, 'seed');
    assert.equal(read.expiresOn?.toISOString(), '2027-01-01T00:00:00.000Z');
  });

  test('a version without a keyId tag is refused, naming the version and never the value', () => {
    assert.throws(
      () => readSigningKeyVersion(version({ tags: { fingerprint: 'sha256:0123456789abcdef' } })),
      {
        code: 'SIGNING_KEY_SECRET_INVALID',
        message:
          "Version 'v1' of the Key Vault secret 'trusted-signatures-api-key' is not a usable signing key: the 'keyId' tag is missing or not a key ID; disable that version or store the key again with 'sealops keys stage'.",
      },
    );
  });

  test('a disabled, expired or not-yet-valid version is not valid', () => {
    const read = (overrides: Partial<SecretVersionProperties>) =>
      readSigningKeyVersion(version(overrides));
    assert.equal(isSigningKeyValid(read({}), now), true);
    assert.equal(isSigningKeyValid(read({ enabled: false }), now), false);
    assert.equal(isSigningKeyValid(read({ expiresOn: now }), now), false);
    assert.equal(isSigningKeyValid(read({ notBefore: new Date(now.getTime() + 1) }), now), false);
  });

  test('valid versions come newest first, and a malformed one is reported and skipped', () => {
    const problems: string[] = [];
    const valid = validSigningKeyVersions(
      [
        version({ version: 'old' }),
        version({ version: 'new', createdOn: new Date('2026-05-01T00:00:00.000Z') }),
        version({ version: 'broken', tags: {} }),
        version({ version: 'off', enabled: false }),
      ],
      now,
      (error) => problems.push(error.secretVersion),
    );
    assert.deepEqual(
      valid.map(({ secretVersion }) => secretVersion),
      ['new', 'old'],
    );
    assert.deepEqual(problems, ['broken']);
  });

  test('a value that does not match its fingerprint tag is refused', () => {
    const read = readSigningKeyVersion(version());
    assert.equal(signingCredentialFromVersion(read, hex).secretVersion, 'v1');
    assert.throws(() => signingCredentialFromVersion(read, 'cd'.repeat(32)), {
      message:
        /the value's fingerprint sha256:[0-9a-f]{16} does not match the tag sha256:[0-9a-f]{16}/,
    });
    assert.throws(() => signingCredentialFromVersion(read, 'zz'), {
      message: /the value is not an even-length hex string/,
    });
  });
});
