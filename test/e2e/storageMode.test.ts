import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BlobServiceClient } from '@azure/storage-blob';
import { verifyPdfSignatures } from '../../lib/verification/verifyPdfSignatures.js';
import { makePdfCorpus, type PdfCorpus } from '../support/pdfCorpus.js';
import { requireTool } from '../support/requireTool.js';
import { runTool } from '../support/signingServiceFixture.js';
import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';
import {
  appEvents,
  eventually,
  stackBlobs,
  storageSealer,
  type ErrorBody,
  type StorageSealBody,
} from '../support/storageRequests.js';

describe('storage mode on the local stack', () => {
  let stack: StackProcess;
  let corpus: PdfCorpus;
  let blobs: BlobServiceClient;
  let seal: ReturnType<typeof storageSealer>;
  let classic: Buffer;
  let root: string;

  const upload = async (container: string, blob: string, bytes: Uint8Array) =>
    (await blobs.getContainerClient(container).getBlockBlobClient(blob).upload(bytes, bytes.length))
      .etag ?? '';
  const download = (container: string, blob: string) =>
    blobs.getContainerClient(container).getBlobClient(blob).downloadToBuffer();
  const exists = (container: string, blob: string) =>
    blobs.getContainerClient(container).getBlobClient(blob).exists();

  before(async () => {
    [stack, corpus] = await Promise.all([
      startStackProcess({
        SEAL_ALLOWED_CONTAINERS: 'documents,sealed,inbox,outbox,failed',
        SEAL_DROP_INBOX: 'inbox',
        SEAL_DROP_OUTBOX: 'outbox',
        SEAL_DROP_FAILED: 'failed',
        LOCAL_DROP_POLL_MS: '200',
      }),
      makePdfCorpus(),
    ]);
    blobs = stackBlobs(stack);
    seal = storageSealer(stack);
    classic = await readFile(corpus.get('classic').path);
    root = await readFile(join(stack.stateDir, 'signing-service/pki/root.cert.pem'), 'utf8');
  });

  after(async () => {
    await stack?.stop();
    await corpus?.remove();
  });

  it('seals the named blob into the destination and answers with its ETag, size and key ID', async (t) => {
    const sourceEtag = await upload('documents', 'invoice 2024/03.pdf', classic);
    const response = await seal({
      source: { container: 'documents', blob: 'invoice 2024/03.pdf' },
      destination: { container: 'sealed', blob: 'invoice 2024/03.pdf' },
      reason: 'Archived',
    });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as StorageSealBody;

    const properties = await blobs
      .getContainerClient('sealed')
      .getBlobClient('invoice 2024/03.pdf')
      .getProperties();
    assert.deepEqual(body.destination, {
      container: 'sealed',
      blob: 'invoice 2024/03.pdf',
      etag: properties.etag,
      sizeBytes: properties.contentLength,
    });
    assert.deepEqual(body.source, {
      container: 'documents',
      blob: 'invoice 2024/03.pdf',
      etag: sourceEtag,
      sizeBytes: classic.length,
    });
    assert.equal(body.keyId, response.headers.get('x-seal-key-id'));
    assert.equal(body.fieldName, 'Seal1');
    // Uploaded in one piece, it has no blocks for the stack's staged copy to carry over.
    assert.equal(body.copy, 'streamed');
    assert.ok(Number.isInteger(body.durationMs) && body.durationMs >= 0);

    const sealed = await download('sealed', 'invoice 2024/03.pdf');
    assert.ok(sealed.subarray(0, classic.length).equals(classic), 'original kept as prefix');
    assert.match(sealed.subarray(classic.length).toString('latin1'), /\/Reason \(Archived\)/);
    const [result] = verifyPdfSignatures(sealed, { trustedRoots: [root] });
    assert.equal(result?.valid, true, JSON.stringify(result?.checks));
    assert.equal(result?.coversWholeDocument, true);
    if (await requireTool(t, 'pdfsig')) {
      const file = join(stack.stateDir, 'storage-sealed.pdf');
      await writeFile(file, sealed);
      const report = await runTool('pdfsig', ['-nssdir', stack.nssDatabase ?? '', file]);
      assert.match(report.stdout, /Signature is Valid/);
      assert.match(report.stdout, /Total document signed/);
    }
  });

  it('refuses a container that is not on the allowlist with 403', async () => {
    await blobs.getContainerClient('private').createIfNotExists();
    const response = await seal({
      source: { container: 'private', blob: 'a.pdf' },
      destination: { container: 'sealed', blob: 'a.pdf' },
    });
    assert.equal(response.status, 403);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'CONTAINER_NOT_ALLOWED');
    assert.equal(
      error.message,
      'The source container "private" is not on this app\'s allowlist (SEAL_ALLOWED_CONTAINERS); ' +
        'use an allowed container or ask an operator to add it.',
    );
  });

  const invalidNames: [string, object, string, string][] = [
    [
      'an upper-case container name',
      {
        source: { container: 'Documents', blob: 'a.pdf' },
        destination: { container: 'sealed', blob: 'a.pdf' },
      },
      'INVALID_CONTAINER_NAME',
      'The container name in "source.container" is invalid: expected lowercase letters, digits ' +
        'and single hyphens, starting and ending with a letter or digit.',
    ],
    [
      'a blob name ending in a slash',
      {
        source: { container: 'documents', blob: 'a.pdf' },
        destination: { container: 'sealed', blob: 'folder/' },
      },
      'INVALID_BLOB_NAME',
      'The blob name in "destination.blob" is invalid: a name must not end with "." or "/".',
    ],
    [
      'a missing destination',
      { source: { container: 'documents', blob: 'a.pdf' } },
      'INVALID_BLOB_NAME',
      'The blob name in "destination" is invalid: expected an object { "container": ..., "blob": ... }.',
    ],
  ];
  for (const [name, body, code, message] of invalidNames) {
    it(`answers 400 ${code} for ${name}`, async () => {
      const response = await seal(body);
      assert.equal(response.status, 400);
      const { error } = (await response.json()) as ErrorBody;
      assert.equal(error.code, code);
      assert.equal(error.message, message);
    });
  }

  it('answers 404 SOURCE_NOT_FOUND for a blob that is not there', async () => {
    const response = await seal({
      source: { container: 'documents', blob: 'never-uploaded.pdf' },
      destination: { container: 'sealed', blob: 'never-uploaded.pdf' },
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'SOURCE_NOT_FOUND');
  });

  it('answers 409 DESTINATION_EXISTS for an existing destination and overwrites it when asked', async () => {
    await upload('documents', 'twice.pdf', classic);
    await upload('sealed', 'twice.pdf', Buffer.from('already here'));
    const request = {
      source: { container: 'documents', blob: 'twice.pdf' },
      destination: { container: 'sealed', blob: 'twice.pdf' },
    };
    const refused = await seal(request);
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as ErrorBody).error.code, 'DESTINATION_EXISTS');
    assert.equal((await download('sealed', 'twice.pdf')).toString(), 'already here');

    const replaced = await seal({ ...request, overwrite: true });
    assert.equal(replaced.status, 200);
    const sealed = await download('sealed', 'twice.pdf');
    assert.equal(verifyPdfSignatures(sealed, { trustedRoots: [root] })[0]?.valid, true);
  });

  it('answers 409 SOURCE_CHANGED when the source is not the version the request named', async () => {
    const old = await upload('documents', 'versioned.pdf', classic);
    await upload('documents', 'versioned.pdf', await readFile(corpus.get('incremental').path));
    const response = await seal({
      source: { container: 'documents', blob: 'versioned.pdf', etag: old },
      destination: { container: 'sealed', blob: 'versioned.pdf' },
    });
    assert.equal(response.status, 409);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'SOURCE_CHANGED');
    assert.equal(await exists('sealed', 'versioned.pdf'), false);
  });

  it('seals a PDF dropped into the inbox into the outbox and removes it from the inbox', async () => {
    await upload('inbox', 'scan-0001.pdf', classic);
    const sealed = await eventually(
      async () =>
        (await exists('outbox', 'scan-0001.pdf')) ? download('outbox', 'scan-0001.pdf') : undefined,
      'the sealed file in the outbox',
    );
    assert.ok(sealed.subarray(0, classic.length).equals(classic));
    assert.equal(verifyPdfSignatures(sealed, { trustedRoots: [root] })[0]?.valid, true);
    await eventually(
      async () => ((await exists('inbox', 'scan-0001.pdf')) ? undefined : true),
      'the inbox to be emptied',
    );
  });

  it('moves a dropped file that cannot be sealed to the failed container with the reason', async () => {
    await upload('inbox', 'notes.pdf', Buffer.from('not a PDF at all'));
    const properties = await eventually(
      async () =>
        (await exists('failed', 'notes.pdf'))
          ? blobs.getContainerClient('failed').getBlobClient('notes.pdf').getProperties()
          : undefined,
      'the file in the failed container',
    );
    assert.equal(properties.metadata?.sealerrorcode, 'NOT_A_PDF');
    assert.match(
      decodeURIComponent(properties.metadata?.sealerror ?? ''),
      /^The document is not a PDF: it does not start with %PDF-/,
    );
    assert.equal(properties.metadata?.sealattempts, '1');
    assert.equal((await download('failed', 'notes.pdf')).toString(), 'not a PDF at all');
    assert.equal(await exists('outbox', 'notes.pdf'), false);
    await eventually(
      async () => ((await exists('inbox', 'notes.pdf')) ? undefined : true),
      'the inbox to be emptied',
    );
  });

  it('reports a request for a container outside the allowlist as an authorization failure', async () => {
    const refusals = await appEvents(stack, 'ApiAuthFailure');
    assert.ok(
      refusals.some(
        (row) =>
          row.Properties.reason === 'container_not_allowed' &&
          row.Properties.statusCode === '403' &&
          row.Properties.functionName === 'seal-pdf' &&
          row.Properties.clientIp === '127.0.0.1',
      ),
      JSON.stringify(refusals),
    );
  });

  it('reports every storage seal as a SealRequest event with mode storage', async () => {
    const seals = (await appEvents(stack, 'SealRequest')).filter(
      (row) => row.Properties.mode === 'storage',
    );
    const success = seals.find(
      (row) => row.Properties.outcome === 'success' && row.Properties.trigger === 'http',
    );
    assert.equal(success?.Properties.sizeBytes, String(classic.length));
    assert.match(success?.Properties.keyId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(success?.Properties.durationMs ?? '', /^\d+$/);
    assert.equal(success?.Properties.copy, 'streamed');
    assert.ok(
      seals.some(
        (row) =>
          row.Properties.errorCode === 'CONTAINER_NOT_ALLOWED' &&
          row.Properties.statusCode === '403',
      ),
    );
    assert.ok(seals.some((row) => row.Properties.errorCode === 'INVALID_BLOB_NAME'));
    assert.ok(
      seals.some(
        (row) => row.Properties.trigger === 'drop-folder' && row.Properties.outcome === 'success',
      ),
    );
    assert.ok(
      seals.some(
        (row) =>
          row.Properties.trigger === 'drop-folder' && row.Properties.errorCode === 'NOT_A_PDF',
      ),
    );
  });
});
