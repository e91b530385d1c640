import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import { authorizationHeaders } from '../../../lib/signing/authorizationHeaders.js';
import { InvalidApiKeyFormatError } from '../../../lib/signing/errors/InvalidApiKeyFormatError.js';
import { keyFingerprint } from '../../../lib/signing/keyFingerprint.js';
import { staticCredentials } from '../../../lib/signing/staticCredentials.js';

const vectorBody = new TextEncoder().encode('{"digest":"abc"}');
const vectorTime = new Date('2026-01-01T00:00:00.000Z');

describe('authorizationHeaders', () => {
  it('reproduces the public test vector over the raw body followed by the time', () => {
    const headers = authorizationHeaders(vectorBody, '736563726574', 'key-1', vectorTime);

    assert.deepEqual(headers, {
      'X-Authorization-Algorithm': 'HmacSHA256',
      'X-Authorization-Time': '2026-01-01T00:00:00.000Z',
      'X-Authorization-Key': 'key-1',
      'X-Authorization': 'ypT7wDSVW3CXEOBHzyjXaimzwpOdHv4CWjW4v9jNc80=',
    });
  });

  it('does not match the construction that hashes the body first', () => {
    const bodyHash = createHash('sha256').update(vectorBody).digest();
    const preHashed = createHmac('sha256', Buffer.from('secret'))
      .update(bodyHash)
      .update('2026-01-01T00:00:00.000Z')
      .digest('hex');

    assert.ok(preHashed.startsWith('3a031761e1362fbe'));
    const headers = authorizationHeaders(vectorBody, '736563726574', 'key-1', vectorTime);
    assert.notEqual(Buffer.from(headers['X-Authorization'], 'base64').toString('hex'), preHashed);
  });

  it('accepts upper-case hex as the same key', () => {
    const lower = authorizationHeaders(vectorBody, '736563726574', 'key-1', vectorTime);
    const upper = authorizationHeaders(
      vectorBody,
      '736563726574'.toUpperCase(),
      'key-1',
      vectorTime,
    );

    assert.equal(upper['X-Authorization'], lower['X-Authorization']);
  });

  for (const [label, key] of [
    ['odd-length hex', '73656372657'],
    ['a non-hex character', '73656372657g'],
    ['an empty key', ''],
    ['whitespace around the key', ' 736563726574'],
  ] as const) {
    it(`refuses ${label} with an error that names the key ID and not the key`, () => {
      assert.throws(
        () => authorizationHeaders(vectorBody, key, 'key-7', vectorTime),
        (error: unknown) => {
          assert.ok(error instanceof InvalidApiKeyFormatError);
          assert.equal(error.code, 'SIGNING_KEY_MALFORMED');
          assert.equal(error.httpStatus, 500);
          assert.equal(
            error.message,
            "The API key configured for key ID 'key-7' is not an even-length hex string; set it to " +
              'the hex API key shown by the signing portal.',
          );
          if (key.trim() !== '') assert.ok(!error.message.includes(key.trim()));
          return true;
        },
      );
    });
  }
});

describe('keyFingerprint', () => {
  it('is sha256: and the first 16 hex digits of the SHA-256 of the key bytes', () => {
    const expected = createHash('sha256').update(Buffer.from('secret')).digest('hex').slice(0, 16);

    assert.equal(keyFingerprint('736563726574'), `sha256:${expected}`);
  });

  it('gives the same fingerprint whatever the case of the hex', () => {
    assert.equal(keyFingerprint('ABCDEF'), keyFingerprint('abcdef'));
  });
});

describe('staticCredentials', () => {
  it('returns the one key from settings with its fingerprint', async () => {
    const credentials = await staticCredentials('key-1', '736563726574').current();

    assert.deepEqual(credentials, [
      {
        keyId: 'key-1',
        apiKeyHex: '736563726574',
        fingerprint: keyFingerprint('736563726574'),
        source: 'settings',
      },
    ]);
  });

  it('fails at construction when the key in settings is malformed', () => {
    assert.throws(() => staticCredentials('key-1', 'not hex'), { code: 'SIGNING_KEY_MALFORMED' });
  });
});
