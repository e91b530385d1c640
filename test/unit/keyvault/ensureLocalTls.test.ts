import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { ensureLocalTls } from '../../../local/tls/ensureLocalTls.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealops-tls-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

void describe('ensureLocalTls', () => {
  void test('creates a CA and a server certificate it signed for localhost, 127.0.0.1 and ::1', async () => {
    const tls = await ensureLocalTls(dir);

    const ca = new X509Certificate(tls.caPem);
    const server = new X509Certificate(tls.certPem);
    assert.ok(ca.ca);
    assert.ok(!server.ca);
    assert.ok(server.verify(ca.publicKey));
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(tls.caPath, join(dir, 'ca.pem'));
    assert.equal(await readFile(tls.caPath, 'utf8'), tls.caPem);
  });

  void test('keeps private keys readable by their owner only', async () => {
    const tls = await ensureLocalTls(dir);

    for (const keyPath of [tls.keyPath, join(dir, 'ca-key.pem')]) {
      assert.equal((await stat(keyPath)).mode & 0o777, 0o600, keyPath);
    }
  });

  void test('returns the stored certificates on the next call instead of issuing new ones', async () => {
    const first = await ensureLocalTls(dir);
    const second = await ensureLocalTls(dir);

    assert.deepEqual(second, first);
  });

  void test('reissues the server certificate under the same CA when it is within 30 days of expiry', async () => {
    const first = await ensureLocalTls(dir);
    const nearExpiry = new Date(Date.now() + 380 * DAY_MS);

    const renewed = await ensureLocalTls(dir, { now: () => nearExpiry });

    assert.equal(renewed.caPem, first.caPem);
    assert.notEqual(renewed.certPem, first.certPem);
    const validTo = Date.parse(new X509Certificate(renewed.certPem).validTo);
    assert.ok(validTo > nearExpiry.getTime() + 30 * DAY_MS);
  });

  void test('replaces a damaged CA, and the server certificate with it', async () => {
    const first = await ensureLocalTls(dir);
    await writeFile(first.caPath, 'not a certificate');

    const replaced = await ensureLocalTls(dir);

    assert.notEqual(replaced.caPem, first.caPem);
    const server = new X509Certificate(replaced.certPem);
    assert.ok(server.verify(new X509Certificate(replaced.caPem).publicKey));
  });

  void test('gives callers racing on an empty folder one and the same CA', async () => {
    const results = await Promise.all([
      ensureLocalTls(dir),
      ensureLocalTls(dir),
      ensureLocalTls(dir),
    ]);

    const onDisk = await readFile(join(dir, 'ca.pem'), 'utf8');
    for (const result of results) {
      assert.equal(result.caPem, onDisk);
      assert.equal(result.certPem, results[0]?.certPem);
    }
  });

  void test('serves TLS that a client trusting only the local CA accepts, by name and by address', async () => {
    const tls = await ensureLocalTls(dir);
    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_request, response) => {
      response.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const body = await new Promise<string>((resolve, reject) => {
          get(`https://${host}:${port}/`, { ca: tls.caPem, agent: false }, (response) => {
            response.setEncoding('utf8');
            let text = '';
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve(text));
          }).on('error', reject);
        });
        assert.equal(body, 'ok', host);
      }
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
