import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import forge from 'node-forge';

import type { DigestSignature, DigestSigner } from '../../../lib/signing/DigestSigner.js';
import { SigningApiClient } from '../../../lib/signing/SigningApiClient.js';
import { staticCredentials } from '../../../lib/signing/staticCredentials.js';
import { NotAPdfError } from '../../../lib/verification/errors/NotAPdfError.js';
import { findSignatures } from '../../../lib/verification/findSignatures.js';
import { verifyPdfSignatures } from '../../../lib/verification/verifyPdfSignatures.js';
import { buildSignedTestPdf } from '../../support/buildSignedTestPdf.js';
import {
  runTool,
  scratchFile,
  startSigningServiceFixture,
} from '../../support/signingServiceFixture.js';
import type { SigningServiceFixture } from '../../support/signingServiceFixture.js';

/** Keeps the last CMS the signing service returned, to compare with what the verifier extracts. */
class RecordingSigner implements DigestSigner {
  last: DigestSignature | undefined;

  constructor(private readonly inner: DigestSigner) {}

  async sign(digest: Uint8Array, options: { timestamp: boolean }): Promise<DigestSignature> {
    this.last = await this.inner.sign(digest, options);
    return this.last;
  }
}

describe('verifyPdfSignatures on PDFs signed through the local signing service', () => {
  let fixture: SigningServiceFixture;
  let signer: RecordingSigner;
  let sealed: Buffer;
  let trustedRoots: string[];

  before(async () => {
    fixture = await startSigningServiceFixture();
    signer = new RecordingSigner(
      new SigningApiClient({
        baseUrl: fixture.service.url,
        credentials: staticCredentials(fixture.key.keyId, fixture.key.apiKeyHex),
      }),
    );
    sealed = await buildSignedTestPdf({ signer });
    trustedRoots = [fixture.service.pki.rootCertPem];
  });
  after(() => fixture.dispose());

  it('finds the signature, its SubFilter and the CMS without the zero padding', () => {
    const [signature, ...others] = findSignatures(sealed);

    assert.equal(others.length, 0);
    assert.equal(signature?.subFilter, 'ETSI.CAdES.detached');
    assert.deepEqual(Buffer.from(signature.cms), Buffer.from(signer.last?.cms ?? []));
    assert.equal(signature.revisionEnd, sealed.byteLength);
  });

  it('passes every check of a sealed PDF and says it covers the whole document', () => {
    const [result] = verifyPdfSignatures(sealed, { trustedRoots });

    assert.deepEqual(result?.checks, {
      byteRange: { status: 'passed' },
      cmsStructure: { status: 'passed' },
      messageDigest: { status: 'passed' },
      signature: { status: 'passed' },
      certificateChain: { status: 'passed' },
      signingCertificate: { status: 'passed' },
      timestamp: { status: 'absent' },
    });
    assert.equal(result.valid, true);
    assert.equal(result.coversWholeDocument, true);
    assert.match(result.signer?.subject ?? '', /CN=SealOps Local Test Seal/);
  });

  it('verifies the timestamp token and checks certificates at its time', async () => {
    const stamped = await buildSignedTestPdf({ signer, timestamp: true });

    const [result] = verifyPdfSignatures(stamped, { trustedRoots });

    assert.deepEqual(result?.checks.timestamp, { status: 'passed' });
    assert.equal(result.valid, true);
    assert.match(result.timestamp?.tsa?.subject ?? '', /CN=SealOps Local Test TSA/);
    assert.deepEqual(result.validationTime, result.timestamp?.genTime);
  });

  it('agrees with pdfsig: valid, trusted, whole document signed', async (t) => {
    const dir = fixture.scratchDir;
    const nssDir = join(dir, 'nss');
    await mkdir(nssDir, { recursive: true });
    const created = await runTool('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
    if (created.code === -1) return t.skip('certutil is not installed');
    const rootFile = await scratchFile(dir, 'root.pem', fixture.service.pki.rootCertPem);
    const added = await runTool('certutil', [
      '-A',
      '-d',
      `sql:${nssDir}`,
      '-n',
      'sealops-local-root',
      '-t',
      'CT,C,C',
      '-i',
      rootFile,
    ]);
    assert.equal(added.code, 0, added.stderr);

    const run = await runTool('pdfsig', [
      '-nssdir',
      `sql:${nssDir}`,
      await scratchFile(dir, 'sealed.pdf', sealed),
    ]);
    if (run.code === -1) return t.skip('pdfsig is not installed');

    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Signature Validation: Signature is Valid\./);
    assert.match(run.stdout, /Certificate Validation: Certificate is Trusted\./);
    assert.match(run.stdout, /Total document signed/);
    assert.match(run.stdout, /Signature Type: ETSI\.CAdES\.detached/);
  });

  it('reports a changed byte inside the signed ranges as a message-digest failure', () => {
    const tampered = Buffer.from(sealed);
    const mediaBox = tampered.indexOf('/MediaBox [0 0 200 200]');
    tampered.write('/MediaBox [0 0 300 200]', mediaBox, 'latin1');

    const [result] = verifyPdfSignatures(tampered, { trustedRoots });

    assert.deepEqual(result?.checks.messageDigest, {
      status: 'failed',
      detail: 'The message-digest attribute does not match the digest of the signed content.',
    });
    assert.equal(result.checks.signature.status, 'passed');
    assert.equal(result.valid, false);
  });

  it('fails the chain when the signer does not lead to a trusted root', () => {
    const [result] = verifyPdfSignatures(sealed, { trustedRoots: [otherRootPem()] });

    assert.deepEqual(result?.checks.certificateChain, {
      status: 'failed',
      detail:
        "No trusted root issued 'CN=SealOps Local Test Root CA\nO=SealOps local stack (not trusted)', " +
        'and the CMS carries no certificate that did.',
    });
    assert.equal(result.valid, false);
  });

  it('fails the chain at a time the seal certificate was not valid', () => {
    const [result] = verifyPdfSignatures(sealed, {
      trustedRoots,
      time: new Date('2000-01-01T00:00:00Z'),
    });

    assert.equal(result?.checks.certificateChain.status, 'failed');
    assert.match(
      result.checks.certificateChain.detail ?? '',
      /^The certificate 'CN=SealOps Local Test Seal\n.*not at 2000-01-01T00:00:00\.000Z\.$/s,
    );
  });

  it('keeps a signature valid after an incremental update, but no longer covering the whole document', () => {
    const update = Buffer.from(
      '6 0 obj\n<< /Producer (later edit) >>\nendobj\n' +
        `xref\n6 1\n${String(sealed.byteLength).padStart(10, '0')} 00000 n \n` +
        'trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n0\n%%EOF\n',
      'latin1',
    );
    const updated = Buffer.concat([sealed, update]);

    const [result] = verifyPdfSignatures(updated, { trustedRoots });

    assert.equal(result?.valid, true);
    assert.equal(result.coversWholeDocument, false);
    assert.equal(result.revisionEnd, sealed.byteLength);
  });

  it('fails the byte range when it does not leave out exactly the /Contents string', () => {
    const shifted = Buffer.from(sealed);
    const [signature] = findSignatures(sealed);
    const [, firstLength = 0] = signature?.byteRange ?? [];
    const written = String(firstLength).padStart(10, '0');
    shifted.write(String(firstLength - 1).padStart(10, '0'), shifted.indexOf(written), 'latin1');

    const [result] = verifyPdfSignatures(shifted, { trustedRoots });

    assert.equal(result?.checks.byteRange.status, 'failed');
    assert.match(
      result.checks.byteRange.detail ?? '',
      /^The byte range leaves out \d+\.\.\d+, but \/Contents spans \d+\.\.\d+\.$/,
    );
    assert.equal(result.valid, false);
  });

  it('reports a /Contents that holds no CMS instead of throwing', () => {
    const emptied = Buffer.from(sealed);
    const [signature] = findSignatures(sealed);
    const start = (signature?.contents?.start ?? 0) + 1;
    emptied.fill('0', start, start + 40);

    const [result] = verifyPdfSignatures(emptied, { trustedRoots });

    assert.deepEqual(result?.checks.cmsStructure, {
      status: 'failed',
      detail: 'The /Contents value is not a DER CMS SignedData.',
    });
    assert.deepEqual(result.checks.signature, {
      status: 'failed',
      detail: 'Not checked: the CMS in /Contents is not usable.',
    });
    assert.equal(result.valid, false);
  });
});

describe('findSignatures', () => {
  it('throws NotAPdfError for input without a PDF header', () => {
    assert.throws(
      () => findSignatures(Buffer.from('just text')),
      (error: unknown) => {
        assert.ok(error instanceof NotAPdfError);
        assert.equal(error.code, 'NOT_A_PDF');
        assert.equal(
          error.message,
          'The input (9 bytes) is not a PDF: no %PDF- header in its first 1024 bytes; check that the ' +
            'whole file was passed.',
        );
        return true;
      },
    );
  });

  it('returns nothing for a PDF without signatures or with an unfilled placeholder', () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 /********** /********** /**********] ' +
        '/Contents <0000> >>\nendobj\n%%EOF\n',
      'latin1',
    );

    assert.deepEqual(findSignatures(pdf), []);
    assert.deepEqual(verifyPdfSignatures(pdf, { trustedRoots: [] }), []);
  });

  it('reads /Contents written before /ByteRange', () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n5 0 obj\n<< /Type /Sig /Contents <3003020101000000> /SubFilter /adbe.pkcs7.detached ' +
        '/ByteRange [0 18 36 20] >>\nendobj\n%%EOF\n',
      'latin1',
    );

    const [signature] = findSignatures(pdf);

    assert.deepEqual(signature?.contents, { start: 41, end: 59 });
    assert.deepEqual(Buffer.from(signature.cms).toString('hex'), '3003020101');
    assert.equal(signature.subFilter, 'adbe.pkcs7.detached');
    assert.equal(signature.objectOffset, 9);
  });
});

function otherRootPem(): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'Some Other Root' }]);
  cert.setIssuer([{ name: 'commonName', value: 'Some Other Root' }]);
  cert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }]);
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
