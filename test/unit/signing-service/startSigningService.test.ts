import assert from 'node:assert/strict';
import { X509Certificate, createHash, randomUUID } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { authorizationHeaders } from '../../../lib/signing/authorizationHeaders.js';
import { keyFingerprint } from '../../../lib/signing/keyFingerprint.js';
import { SigningApiClient } from '../../../lib/signing/SigningApiClient.js';
import { staticCredentials } from '../../../lib/signing/staticCredentials.js';
import { decodeOid } from '../../../lib/verification/decodeDer.js';
import { parseSignedData } from '../../../lib/verification/parseSignedData.js';
import { startSigningService } from '../../../local/signing-service/startSigningService.js';
import {
  runTool,
  scratchFile,
  startSigningServiceFixture,
} from '../../support/signingServiceFixture.js';
import type { SigningServiceFixture } from '../../support/signingServiceFixture.js';

const digest = createHash('sha256').update('content').digest();
const adminToken = 'local-admin-token-for-tests';

describe('local signing service: POST /v1/sign', () => {
  let fixture: SigningServiceFixture;

  before(async () => {
    fixture = await startSigningServiceFixture({ adminToken });
  });
  after(() => fixture.dispose());

  /** Sends `body` exactly, signed with the fixture's key unless told otherwise. */
  async function send(
    body: string,
    {
      keyId = fixture.key.keyId,
      apiKeyHex = fixture.key.apiKeyHex,
      time = new Date(),
      algorithm = 'HmacSHA256',
    } = {},
  ): Promise<{ status: number; body: unknown; reason: string | undefined }> {
    const bytes = Buffer.from(body);
    const headers = {
      ...authorizationHeaders(bytes, apiKeyHex, keyId, time),
      'X-Authorization-Algorithm': algorithm,
    };
    const response = await fetch(`${fixture.service.url}/v1/sign`, {
      method: 'POST',
      headers,
      body: bytes,
    });
    return {
      status: response.status,
      body: await response.json(),
      reason: fixture.service.requests.at(-1)?.reason,
    };
  }

  const validBody = `{"digestAlgorithm":"SHA256","digest":"${digest.toString('base64')}"}`;

  it('signs a well-formed, correctly authenticated request', async () => {
    const answer = await send(validBody);

    assert.equal(answer.status, 200);
    assert.equal(typeof (answer.body as { signature?: unknown }).signature, 'string');
  });

  for (const [label, options, reason] of [
    ['an unknown key ID', { keyId: randomUUID() }, 'key_unknown'],
    ['an HMAC made with another key', { apiKeyHex: 'ab'.repeat(32) }, 'hmac_mismatch'],
    ['a time 61 seconds behind', { time: new Date(Date.now() - 61_000) }, 'time_outside_tolerance'],
    ['a time 61 seconds ahead', { time: new Date(Date.now() + 61_000) }, 'time_outside_tolerance'],
    ['another algorithm', { algorithm: 'HmacSHA1' }, 'algorithm_unsupported'],
  ] as const) {
    it(`answers 401 with a generic error for ${label}`, async () => {
      const answer = await send(validBody, options);

      assert.deepEqual(answer, { status: 401, body: { error: 'authentication failed' }, reason });
    });
  }

  it('answers 401 when the authorization headers are missing', async () => {
    const response = await fetch(`${fixture.service.url}/v1/sign`, {
      method: 'POST',
      body: validBody,
    });

    assert.equal(response.status, 401);
    assert.equal(fixture.service.requests.at(-1)?.reason, 'headers_missing');
  });

  it('answers 401 for a revoked key', async () => {
    const revoked = await fixture.service.issueKey();
    await fixture.service.revokeKey(revoked.keyId);

    const answer = await send(validBody, { keyId: revoked.keyId, apiKeyHex: revoked.apiKeyHex });

    assert.deepEqual(answer, {
      status: 401,
      body: { error: 'authentication failed' },
      reason: 'key_revoked',
    });
  });

  it('answers 401 for a key past its expiry by the service clock', async () => {
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    const clocked = await startSigningServiceFixture({ clock: () => new Date(now) });
    try {
      const key = await clocked.service.issueKey({ expiresAt: new Date(now + 60 * 60 * 1000) });
      now += 2 * 60 * 60 * 1000;
      const client = new SigningApiClient({
        baseUrl: clocked.service.url,
        credentials: staticCredentials(key.keyId, key.apiKeyHex),
        clock: () => new Date(now),
      });

      await assert.rejects(client.sign(digest, { timestamp: false }), {
        code: 'SIGNING_KEY_REFUSED',
      });
      assert.equal(clocked.service.requests.at(-1)?.reason, 'key_expired');
    } finally {
      await clocked.dispose();
    }
  });

  for (const [label, body, reason] of [
    ['a body that is not JSON', 'digest=abc', 'body_not_json'],
    ['a missing digest', '{"digestAlgorithm":"SHA256"}', 'digest_missing'],
    [
      'a 31-byte digest',
      `{"digestAlgorithm":"SHA256","digest":"${digest.subarray(1).toString('base64')}"}`,
      'digest_not_sha256',
    ],
    [
      'a digest that is not base64',
      '{"digestAlgorithm":"SHA256","digest":"@@@@"}',
      'digest_not_sha256',
    ],
    [
      'another digest algorithm',
      `{"digestAlgorithm":"SHA1","digest":"${digest.toString('base64')}"}`,
      'digest_algorithm_unsupported',
    ],
    [
      'a tsaTimestamp that is not a boolean',
      `{"digestAlgorithm":"SHA256","digest":"${digest.toString('base64')}","tsaTimestamp":"yes"}`,
      'tsa_timestamp_not_boolean',
    ],
  ] as const) {
    it(`answers 400 for ${label}`, async () => {
      const answer = await send(body);

      assert.deepEqual(answer, { status: 400, body: { error: `bad request: ${reason}` }, reason });
    });
  }

  it('puts content-type, message-digest and signing-certificate-v2 in the signed attributes, and no signing-time', async () => {
    const answer = await send(validBody);
    const cms = Buffer.from((answer.body as { signature: string }).signature, 'base64');

    const signedData = parseSignedData(cms);
    const [signerInfo] = signedData.signerInfos;
    assert.deepEqual([...(signerInfo?.signedAttributes.keys() ?? [])].sort(), [
      '1.2.840.113549.1.9.16.2.47',
      '1.2.840.113549.1.9.3',
      '1.2.840.113549.1.9.4',
    ]);
    const messageDigest = signerInfo?.signedAttributes.get('1.2.840.113549.1.9.4')?.[0]?.value;
    assert.deepEqual(Buffer.from(messageDigest ?? []), digest);
    const contentType = signerInfo?.signedAttributes.get('1.2.840.113549.1.9.3')?.[0];
    assert.equal(
      contentType === undefined ? undefined : decodeOid(contentType),
      '1.2.840.113549.1.7.1',
    );
    assert.equal(signedData.content, undefined);
    assert.deepEqual(
      signedData.certificates.map((der) => new X509Certificate(der).fingerprint256),
      [fixture.service.pki.leafCertPem, fixture.service.pki.rootCertPem].map(
        (pem) => new X509Certificate(pem).fingerprint256,
      ),
    );
    assert.equal(signerInfo?.unsignedAttributes.size, 0);
  });

  it('logs every sign request with its raw body, headers and outcome', async () => {
    const before = fixture.service.requests.length;
    await send(validBody);

    const [entry] = fixture.service.requests.slice(before);
    assert.equal(entry?.method, 'POST');
    assert.equal(entry.path, '/v1/sign');
    assert.equal(entry.body, validBody);
    assert.equal(entry.headers['x-authorization-key'], fixture.key.keyId);
    assert.equal(entry.status, 200);
  });

  it('answers /health', async () => {
    const response = await fetch(`${fixture.service.url}/health`);

    assert.deepEqual(await response.json(), { status: 'ok' });
  });
});

describe('local signing service: the admin key API', () => {
  let fixture: SigningServiceFixture;

  before(async () => {
    fixture = await startSigningServiceFixture({ adminToken });
  });
  after(() => fixture.dispose());

  function admin(
    path: string,
    method = 'GET',
    body?: unknown,
    token = adminToken,
  ): Promise<Response> {
    return fetch(`${fixture.service.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  it('refuses a wrong bearer token with 401', async () => {
    const response = await admin('/admin/keys', 'GET', undefined, 'wrong');

    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'a valid admin bearer token is required' });
  });

  it('issues a key that signs at once, and lists keys without their secrets', async () => {
    const expiresAt = new Date(Date.now() + 90 * 24 * 60 * 60 * 1000).toISOString();
    const issued = await admin('/admin/keys', 'POST', { expiresAt });
    const key = (await issued.json()) as { keyId: string; apiKey: string; expiresAt: string };

    assert.equal(issued.status, 201);
    assert.equal(key.expiresAt, expiresAt);
    assert.match(key.apiKey, /^[0-9a-f]{64}$/);
    const client = new SigningApiClient({
      baseUrl: fixture.service.url,
      credentials: staticCredentials(key.keyId, key.apiKey),
    });
    assert.equal((await client.sign(digest, { timestamp: false })).keyId, key.keyId);

    const listed = (await (await admin('/admin/keys')).json()) as Record<string, unknown>[];
    const entry = listed.find((item) => item.keyId === key.keyId);
    assert.deepEqual(Object.keys(entry ?? {}).sort(), [
      'createdAt',
      'expiresAt',
      'fingerprint',
      'keyId',
      'revoked',
    ]);
    assert.equal(entry?.fingerprint, keyFingerprint(key.apiKey));
    assert.ok(!JSON.stringify(listed).includes(key.apiKey));
  });

  it('refuses an expiry more than a year ahead', async () => {
    const response = await admin('/admin/keys', 'POST', { expiresAt: '2099-01-01T00:00:00.000Z' });

    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: 'expiresAt must be in the future and at most one year ahead',
    });
  });

  it('revokes a key, after which the service refuses it', async () => {
    const key = await fixture.service.issueKey();

    const response = await admin(`/admin/keys/${key.keyId}/revoke`, 'POST');

    assert.deepEqual(await response.json(), { keyId: key.keyId, revoked: true });
    const client = new SigningApiClient({
      baseUrl: fixture.service.url,
      credentials: staticCredentials(key.keyId, key.apiKeyHex),
    });
    await assert.rejects(client.sign(digest, { timestamp: false }), {
      code: 'SIGNING_KEY_REFUSED',
    });
    assert.equal(
      fixture.service.listKeys().find((item) => item.keyId === key.keyId)?.revoked,
      true,
    );
  });

  it('answers 404 when revoking an unknown key', async () => {
    const response = await admin(`/admin/keys/${randomUUID()}/revoke`, 'POST');

    assert.equal(response.status, 404);
  });

  it('is disabled when no admin token is configured', async () => {
    const noAdmin = await startSigningServiceFixture();
    try {
      const response = await fetch(`${noAdmin.service.url}/admin/keys`, {
        headers: { Authorization: 'Bearer anything' },
      });

      assert.equal(response.status, 403);
    } finally {
      await noAdmin.dispose();
    }
  });
});

describe('local signing service: state and PKI', () => {
  let fixture: SigningServiceFixture;

  before(async () => {
    fixture = await startSigningServiceFixture();
  });
  after(() => fixture.dispose());

  it('keeps its PKI and its keys across a restart, in files only the owner can read', async () => {
    const seeded = { keyId: randomUUID(), apiKeyHex: 'cd'.repeat(32) };
    const restarted = await startSigningService({ stateDir: fixture.stateDir, keys: [seeded] });
    try {
      assert.equal(restarted.pki.rootCertPem, fixture.service.pki.rootCertPem);
      const keyIds = restarted.listKeys().map(({ keyId }) => keyId);
      assert.ok(keyIds.includes(fixture.key.keyId) && keyIds.includes(seeded.keyId));
      const client = new SigningApiClient({
        baseUrl: restarted.url,
        credentials: staticCredentials(seeded.keyId, seeded.apiKeyHex),
      });
      assert.equal((await client.sign(digest, { timestamp: false })).keyId, seeded.keyId);

      const files = [
        join(fixture.stateDir, 'keys.json'),
        ...(await readdir(join(fixture.stateDir, 'pki'))).map((name) =>
          join(fixture.stateDir, 'pki', name),
        ),
      ];
      assert.equal(files.length, 7);
      for (const file of files) assert.equal((await stat(file)).mode & 0o777, 0o600, file);
    } finally {
      await restarted.close();
    }
  });

  it('keeps a seeded key revoked across restarts while its secret is unchanged', async () => {
    const seeded = { keyId: randomUUID(), apiKeyHex: 'ef'.repeat(32) };
    const first = await startSigningService({ stateDir: fixture.stateDir, keys: [seeded] });
    await first.revokeKey(seeded.keyId);
    await first.close();

    const second = await startSigningService({ stateDir: fixture.stateDir, keys: [seeded] });
    try {
      assert.equal(second.listKeys().find(({ keyId }) => keyId === seeded.keyId)?.revoked, true);
    } finally {
      await second.close();
    }
  });

  it('never writes a secret anywhere but keys.json and the private key files', async () => {
    const stored = await readFile(join(fixture.stateDir, 'keys.json'), 'utf8');

    assert.ok(stored.includes(fixture.key.apiKeyHex));
    const certificates = await Promise.all(
      ['root', 'seal', 'tsa'].map((name) =>
        readFile(join(fixture.stateDir, 'pki', `${name}.cert.pem`), 'utf8'),
      ),
    );
    assert.ok(certificates.every((pem) => !pem.includes('PRIVATE KEY')));
  });

  it('issues a two-level chain: a CA root, a seal certificate and a TSA certificate openssl accepts', async (t) => {
    const { pki } = fixture.service;
    const root = new X509Certificate(pki.rootCertPem);
    const leaf = new X509Certificate(pki.leafCertPem);
    const tsa = new X509Certificate(pki.tsaCertPem);

    assert.equal(root.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(root) && leaf.verify(root.publicKey));
    assert.ok(tsa.checkIssued(root) && tsa.verify(root.publicKey));
    assert.deepEqual(tsa.keyUsage, ['1.3.6.1.5.5.7.3.8']);

    const dir = fixture.scratchDir;
    const rootFile = await scratchFile(dir, 'root.pem', pki.rootCertPem);
    const leafRun = await runTool('openssl', [
      'verify',
      '-CAfile',
      rootFile,
      await scratchFile(dir, 'leaf.pem', pki.leafCertPem),
    ]);
    if (leafRun.code === -1) return t.skip('openssl is not installed');
    assert.equal(leafRun.code, 0, leafRun.stderr);
    const tsaRun = await runTool('openssl', [
      'verify',
      '-purpose',
      'timestampsign',
      '-CAfile',
      rootFile,
      await scratchFile(dir, 'tsa.pem', pki.tsaCertPem),
    ]);
    assert.equal(tsaRun.code, 0, tsaRun.stderr);
    const text = (
      await runTool('openssl', [
        'x509',
        '-noout',
        '-text',
        '-in',
        await scratchFile(dir, 'leaf2.pem', pki.leafCertPem),
      ])
    ).stdout;
    assert.match(text, /Key Usage: critical\s+Digital Signature, Non Repudiation/);
  });
});
