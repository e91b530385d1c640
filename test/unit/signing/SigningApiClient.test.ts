import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';

import { SigningKeyRefusedError } from '../../../lib/signing/errors/SigningKeyRefusedError.js';
import { SigningServiceTimeoutError } from '../../../lib/signing/errors/SigningServiceTimeoutError.js';
import { SigningServiceUnavailableError } from '../../../lib/signing/errors/SigningServiceUnavailableError.js';
import { keyFingerprint } from '../../../lib/signing/keyFingerprint.js';
import { SigningApiClient } from '../../../lib/signing/SigningApiClient.js';
import type { SigningApiClientOptions } from '../../../lib/signing/SigningApiClient.js';
import type { SigningCredential } from '../../../lib/signing/SigningCredential.js';
import { staticCredentials } from '../../../lib/signing/staticCredentials.js';
import { MemoryTelemetrySink } from '../../../lib/telemetry/MemoryTelemetrySink.js';
import { readDer } from '../../../lib/verification/readDer.js';
import type { DerNode } from '../../../lib/verification/readDer.js';
import type {
  IssuedApiKey,
  RecordedSignRequest,
} from '../../../local/signing-service/startSigningService.js';
import {
  runTool,
  scratchFile,
  startSigningServiceFixture,
} from '../../support/signingServiceFixture.js';
import type { SigningServiceFixture } from '../../support/signingServiceFixture.js';

const content = Buffer.from('the signed byte ranges of a PDF');
const digest = createHash('sha256').update(content).digest();

function credentialOf(key: IssuedApiKey): SigningCredential {
  return { keyId: key.keyId, apiKeyHex: key.apiKeyHex, fingerprint: keyFingerprint(key.apiKeyHex) };
}

describe('SigningApiClient against the local signing service', () => {
  let fixture: SigningServiceFixture;

  before(async () => {
    fixture = await startSigningServiceFixture();
  });
  after(() => fixture.dispose());
  let seen = 0;
  beforeEach(() => {
    fixture.service.faults.reset();
    seen = fixture.service.requests.length;
  });

  /** The sign requests the service received during the current test. */
  function received(): readonly RecordedSignRequest[] {
    return fixture.service.requests.slice(seen);
  }

  function client(options: Partial<SigningApiClientOptions> = {}): SigningApiClient {
    return new SigningApiClient({
      baseUrl: fixture.service.url,
      credentials: staticCredentials(fixture.key.keyId, fixture.key.apiKeyHex),
      retryBackoffMs: 1,
      ...options,
    });
  }

  it('signs a digest: the HMAC is accepted and only the digest reaches the service', async () => {
    const signature = await client().sign(digest, { timestamp: false });

    assert.equal(signature.keyId, fixture.key.keyId);
    assert.equal(signature.fingerprint, keyFingerprint(fixture.key.apiKeyHex));
    assert.equal(signature.retriedWithOtherKey, false);
    assert.equal(signature.attempts, 1);
    const [request] = received();
    assert.equal(request?.status, 200);
    assert.equal(
      request.body,
      `{"digestAlgorithm":"SHA256","digest":"${digest.toString('base64')}"}`,
    );
    assert.equal(request.headers['x-authorization-algorithm'], 'HmacSHA256');
    assert.equal(request.headers['x-authorization-key'], fixture.key.keyId);
  });

  it('returns a CMS that openssl verifies against the content and the local root', async (t) => {
    const { cms } = await client().sign(digest, { timestamp: false });
    const dir = fixture.scratchDir;

    const run = await runTool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      await scratchFile(dir, 'cms.der', cms),
      '-content',
      await scratchFile(dir, 'data.bin', content),
      '-CAfile',
      await scratchFile(dir, 'root.pem', fixture.service.pki.rootCertPem),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    if (run.code === -1) return t.skip('openssl is not installed');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /CMS Verification successful/);
  });

  it('asks for a timestamp only when told to, and gets a token openssl accepts', async (t) => {
    const { cms } = await client().sign(digest, { timestamp: true });

    assert.match(received()[0]?.body ?? '', /,"tsaTimestamp":true}$/);
    const token = timeStampTokenOf(cms);
    const imprint = createHash('sha256').update(signatureValueOf(cms)).digest('hex');
    const dir = fixture.scratchDir;
    const run = await runTool('openssl', [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      await scratchFile(dir, 'token.der', token),
      '-digest',
      imprint,
      '-CAfile',
      await scratchFile(dir, 'root.pem', fixture.service.pki.rootCertPem),
    ]);
    if (run.code === -1) return t.skip('openssl is not installed');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Verification: OK/);
  });

  it('turns a 401 for a wrong key into SigningKeyRefusedError without retrying it', async () => {
    const wrongKey = randomBytes(32).toString('hex');
    const refused = client({ credentials: staticCredentials(fixture.key.keyId, wrongKey) });

    await assert.rejects(refused.sign(digest, { timestamp: false }), (error: unknown) => {
      assert.ok(error instanceof SigningKeyRefusedError);
      assert.equal(error.code, 'SIGNING_KEY_REFUSED');
      assert.equal(error.httpStatus, 502);
      assert.equal(
        error.message,
        `The signing service refused API key '${fixture.key.keyId}' (HTTP 401); operators must check ` +
          'that the key is valid, not expired and not revoked, and rotate it if it is not.',
      );
      assert.ok(!error.message.includes(wrongKey));
      return true;
    });
    assert.deepEqual(
      received().map(({ status, reason }) => [status, reason]),
      [[401, 'hmac_mismatch']],
    );
  });

  it('is refused when its clock is more than a minute off', async () => {
    const stale = client({ clock: () => new Date(Date.now() - 2 * 60_000) });

    await assert.rejects(stale.sign(digest, { timestamp: false }), { code: 'SIGNING_KEY_REFUSED' });
    assert.equal(received()[0]?.reason, 'time_outside_tolerance');
  });

  it('refuses a digest that is not 32 bytes before sending anything', async () => {
    await assert.rejects(client().sign(digest.subarray(0, 31), { timestamp: false }), {
      name: 'RangeError',
      message: 'A SHA-256 digest has 32 bytes, not 31.',
    });
    assert.equal(received().length, 0);
  });

  it('retries a 5xx with a fresh time and HMAC, and succeeds when the service recovers', async () => {
    fixture.service.faults.failWith(503, 1);
    let tick = 0;
    const clock = (): Date => new Date(Date.now() + 1000 * tick++);

    const signature = await client({ clock }).sign(digest, { timestamp: false });

    assert.equal(signature.attempts, 2);
    assert.deepEqual(
      received().map(({ status }) => status),
      [503, 200],
    );
    const [first, second] = received();
    assert.equal(first?.body, second?.body);
    assert.notEqual(
      first?.headers['x-authorization-time'],
      second?.headers['x-authorization-time'],
    );
    assert.notEqual(first?.headers['x-authorization'], second?.headers['x-authorization']);
  });

  it('gives up after the retries with SigningServiceUnavailableError', async () => {
    fixture.service.faults.failWith(500);

    await assert.rejects(client().sign(digest, { timestamp: false }), (error: unknown) => {
      assert.ok(error instanceof SigningServiceUnavailableError);
      assert.equal(error.code, 'SIGNING_SERVICE_UNAVAILABLE');
      assert.equal(error.httpStatus, 503);
      assert.equal(
        error.message,
        'The signing service answered HTTP 500 on the last of 3 attempts; try again later and ' +
          'check the service status if it persists.',
      );
      return true;
    });
    assert.equal(received().length, 3);
  });

  it('does not retry a 4xx other than 401', async () => {
    fixture.service.faults.failWith(404);

    await assert.rejects(client().sign(digest, { timestamp: false }), {
      code: 'SIGNING_REQUEST_REJECTED',
      message:
        `The signing service rejected the sign request with HTTP 404 for API key '${fixture.key.keyId}'; ` +
        'check the signing base URL and report it if the URL is right.',
    });
    assert.equal(received().length, 1);
  });

  it('times out a slow service with SigningServiceTimeoutError', async () => {
    fixture.service.faults.delay(10_000);

    await assert.rejects(
      client({ attemptTimeoutMs: 100, retries: 1 }).sign(digest, { timestamp: false }),
      (error: unknown) => {
        assert.ok(error instanceof SigningServiceTimeoutError);
        assert.equal(error.code, 'SIGNING_SERVICE_TIMEOUT');
        assert.equal(error.httpStatus, 504);
        assert.equal(
          error.message,
          'The signing service did not answer within 100 ms on the last of 2 attempts; try again ' +
            'later and check the service status if it persists.',
        );
        return true;
      },
    );
    assert.equal(received().length, 2);
  });

  it('signs with the next valid key after the preferred one is refused, and says so', async () => {
    const second = await fixture.service.issueKey();
    fixture.service.faults.refuseKey(fixture.key.keyId);
    const telemetry = new MemoryTelemetrySink();
    const rotating = client({
      credentials: {
        current: () =>
          Promise.resolve([
            credentialOf(fixture.key),
            { ...credentialOf(second), secretVersion: 'v2' },
          ]),
      },
      telemetry,
    });

    const signature = await rotating.sign(digest, { timestamp: false });

    assert.equal(signature.keyId, second.keyId);
    assert.equal(signature.retriedWithOtherKey, true);
    assert.equal(signature.secretVersion, 'v2');
    assert.equal(signature.attempts, 2);
    assert.deepEqual(
      telemetry.events.map((event) =>
        event.name === 'SigningCall' ? { ...event, durationMs: 0 } : event,
      ),
      [
        {
          name: 'SigningCall',
          outcome: 'failure',
          keyId: fixture.key.keyId,
          statusCode: 401,
          errorCode: 'SIGNING_KEY_REFUSED',
          durationMs: 0,
          timestamp: false,
          retriedWithOtherKey: false,
        },
        {
          name: 'SigningCall',
          outcome: 'success',
          keyId: second.keyId,
          statusCode: 200,
          durationMs: 0,
          timestamp: false,
          retriedWithOtherKey: true,
        },
        {
          name: 'ApiKeyUsed',
          keyId: second.keyId,
          fingerprint: keyFingerprint(second.apiKeyHex),
          secretVersion: 'v2',
        },
      ],
    );
    const serialised = JSON.stringify(telemetry.events);
    assert.ok(
      !serialised.includes(fixture.key.apiKeyHex) && !serialised.includes(second.apiKeyHex),
    );
  });

  it('names both keys when the next valid key is refused too', async () => {
    const second = await fixture.service.issueKey();
    await fixture.service.revokeKey(second.keyId);
    fixture.service.faults.refuseKey(fixture.key.keyId);
    const rotating = client({
      credentials: {
        current: () => Promise.resolve([credentialOf(fixture.key), credentialOf(second)]),
      },
    });

    await assert.rejects(rotating.sign(digest, { timestamp: false }), {
      code: 'SIGNING_KEY_REFUSED',
      message:
        `The signing service refused API keys '${fixture.key.keyId}' and '${second.keyId}' (HTTP 401); ` +
        'operators must check that the key is valid, not expired and not revoked, and rotate it if it is not.',
    });
    assert.deepEqual(
      received().map(({ reason }) => reason),
      ['key_refused_by_fault', 'key_revoked'],
    );
  });

  it('reports an unreachable service as SigningServiceUnavailableError', async () => {
    const down = await startSigningServiceFixture();
    const url = down.service.url;
    await down.dispose();
    const unreachable = client({ baseUrl: url, retries: 1 });

    await assert.rejects(unreachable.sign(digest, { timestamp: false }), {
      code: 'SIGNING_SERVICE_UNAVAILABLE',
      message:
        'The signing service could not be reached on the last of 2 attempts; try again later and ' +
        'check the service status if it persists.',
    });
  });

  it('refuses to sign without any configured key', async () => {
    const empty = client({ credentials: { current: () => Promise.resolve([]) } });

    await assert.rejects(empty.sign(digest, { timestamp: false }), {
      code: 'SIGNING_KEY_MISSING',
      message:
        'No valid signing API key is configured; set TS_API_KEY and TS_API_KEY_ID, or check the key ' +
        'store that provides them.',
    });
  });
});

describe('SigningApiClient against a server that is not the signing API', () => {
  for (const [label, body, problem] of [
    ['a body that is not JSON', '<html>proxy error</html>', 'a body that is not JSON'],
    ['no signature', '{"status":"ok"}', 'JSON without a "signature" string'],
    [
      'a signature that is not base64',
      '{"signature":"not base64!"}',
      'a "signature" that is not base64',
    ],
    [
      'a signature that is not CMS',
      '{"signature":"MAMCAQE="}',
      'a "signature" that is not a DER CMS SignedData',
    ],
  ] as const) {
    it(`rejects a 200 with ${label} as SigningResponseInvalidError`, async () => {
      const server = createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const client = new SigningApiClient({
          baseUrl: `http://127.0.0.1:${String(port)}`,
          credentials: staticCredentials('key-1', '00ff'),
        });

        await assert.rejects(client.sign(digest, { timestamp: false }), {
          code: 'SIGNING_RESPONSE_INVALID',
          message:
            `The signing service answered HTTP 200 with ${problem} for API key 'key-1'; check that ` +
            'the signing base URL points at the signing API.',
        });
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  }
});

/** The SignerInfo's signature value, read with the verifier's DER reader. */
function signatureValueOf(cms: Uint8Array): Uint8Array {
  return signerInfoOf(cms).children[5]?.value ?? new Uint8Array(0);
}

function timeStampTokenOf(cms: Uint8Array): Uint8Array {
  const unsigned = signerInfoOf(cms).children[6];
  const token = unsigned?.children[0]?.children[1]?.children[0];
  assert.ok(token !== undefined, 'the CMS has no signature-time-stamp');
  return token.encoded;
}

function signerInfoOf(cms: Uint8Array): DerNode {
  const signedData = readDer(cms).children[1]?.children[0];
  const signerInfo = signedData?.children.at(-1)?.children[0];
  assert.ok(signerInfo !== undefined);
  return signerInfo;
}
