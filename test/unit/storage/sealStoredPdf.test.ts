import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DigestSignOptions } from '../../../lib/signing/DigestSigner.js';
import { SigningServiceUnavailableError } from '../../../lib/signing/errors/SigningServiceUnavailableError.js';
import { ContainerAllowlist } from '../../../lib/storage/ContainerAllowlist.js';
import { sealStoredPdf, type StoredSealDependencies } from '../../../lib/storage/sealStoredPdf.js';
import { verifyPdfSignatures } from '../../../lib/verification/verifyPdfSignatures.js';
import { makePdfCorpus, writeLargePdf, type PdfCorpus } from '../../support/pdfCorpus.js';
import { startStoreFaultProxy } from '../../support/storeFaultProxy.js';
import { sealRequest, startStorageHarness, type StorageHarness } from './storageHarness.js';

describe('sealStoredPdf against Azurite', () => {
  let harness: StorageHarness;
  let corpus: PdfCorpus;
  let scratch: string;
  let classic: Buffer;
  let twoMegabytes: Buffer;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sealops-storage-test-'));
    [harness, corpus] = await Promise.all([startStorageHarness(), makePdfCorpus()]);
    classic = await readFile(corpus.get('classic').path);
    twoMegabytes = await readFile((await writeLargePdf(join(scratch, 'two.pdf'), 2)).path);
  });

  after(async () => {
    await harness?.dispose();
    await corpus?.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  const dependencies = (
    overrides: Partial<StoredSealDependencies> = {},
  ): StoredSealDependencies => ({
    store: harness.store({ copyMode: 'streamed' }),
    signer: harness.signer,
    allowlist: harness.allowlist,
    ...overrides,
  });

  /** Checks that `sealed/<name>` is `original` plus a valid seal covering all of it. */
  async function assertSealed(name: string, original: Buffer): Promise<Buffer> {
    const sealed = await harness.download('sealed', name);
    assert.ok(sealed.subarray(0, original.length).equals(original), 'original kept as prefix');
    const [result, ...more] = verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots });
    assert.equal(more.length, 0);
    assert.equal(result?.valid, true, JSON.stringify(result?.checks));
    assert.equal(result?.coversWholeDocument, true);
    return sealed;
  }

  it('seals a PDF blob into a new destination blob that verifies, streaming the copy', async () => {
    const sourceEtag = await harness.upload('documents', 'contract.pdf', classic);
    const seal = await sealStoredPdf(sealRequest('contract.pdf'), dependencies());

    assert.equal(seal.copyMethod, 'streamed');
    assert.equal(seal.source.etag, sourceEtag);
    assert.equal(seal.source.size, classic.length);
    assert.equal(seal.keyId, harness.signing.key.keyId);
    assert.equal(seal.fieldName, 'Seal1');
    const sealed = await assertSealed('contract.pdf', classic);
    assert.equal(seal.destination.size, sealed.length);

    const properties = await harness.service
      .getContainerClient('sealed')
      .getBlobClient('contract.pdf')
      .getProperties();
    assert.equal(properties.etag, seal.destination.etag);
    assert.equal(properties.contentType, 'application/pdf');
    assert.deepEqual(
      { ...properties.metadata },
      {
        sealkeyid: harness.signing.key.keyId,
        sealfield: 'Seal1',
        sealsource: 'documents/contract.pdf',
        sealsourceetag: sourceEtag.replaceAll('"', ''),
      },
    );
  });

  it('streams a document larger than one block in several blocks, staged at once', async () => {
    await harness.upload('documents', 'two-megabytes.pdf', twoMegabytes);
    const store = harness.store({
      copyMode: 'streamed',
      streamedBlockBytes: 256 * 1024,
      streamedConcurrency: 3,
    });
    await sealStoredPdf(sealRequest('two-megabytes.pdf'), dependencies({ store }));

    await assertSealed('two-megabytes.pdf', twoMegabytes);
    const blocks = await harness.service
      .getContainerClient('sealed')
      .getBlockBlobClient('two-megabytes.pdf')
      .getBlockList('committed');
    // Nine blocks of the original (2 MiB and a little in 256 KiB) and one for the update.
    assert.equal(blocks.committedBlocks?.length, Math.ceil(twoMegabytes.length / 262144) + 1);
  });

  it('copies on the service when the store implements Put Block From URL', async () => {
    await harness.upload('documents', 'service.pdf', twoMegabytes);
    const store = harness.store({ copyMode: 'auto', serviceBlockBytes: 1024 * 1024 });
    const seal = await sealStoredPdf(sealRequest('service.pdf'), dependencies({ store }));

    assert.equal(seal.copyMethod, 'service');
    await assertSealed('service.pdf', twoMegabytes);
  });

  it('falls back to a streamed copy where the store answers 501, and remembers it', async () => {
    const proxy = await startStoreFaultProxy(harness.azurite.connectionString, {
      refuseBlockFromUrl: true,
    });
    try {
      await harness.upload('documents', 'fallback.pdf', classic);
      const store = harness.store({ copyMode: 'auto' }, proxy.connectionString);

      const first = await sealStoredPdf(sealRequest('fallback.pdf'), dependencies({ store }));
      const second = await sealStoredPdf(
        sealRequest('fallback.pdf', 'fallback-2.pdf'),
        dependencies({ store }),
      );

      assert.equal(first.copyMethod, 'streamed');
      assert.equal(second.copyMethod, 'streamed');
      assert.equal(
        proxy.faults().refuseBlockFromUrl,
        1,
        'asked the store once, then remembered its answer',
      );
      await assertSealed('fallback.pdf', classic);
      await assertSealed('fallback-2.pdf', classic);
    } finally {
      await proxy.close();
    }
  });

  it('refuses containers that are not on the allowlist with 403, touching nothing', async () => {
    await harness.upload('documents', 'allowlist.pdf', classic);
    const allowlist = new ContainerAllowlist(['documents']);
    await assert.rejects(sealStoredPdf(sealRequest('allowlist.pdf'), dependencies({ allowlist })), {
      code: 'CONTAINER_NOT_ALLOWED',
      httpStatus: 403,
      message:
        'The destination container "sealed" is not on this app\'s allowlist ' +
        '(SEAL_ALLOWED_CONTAINERS); use an allowed container or ask an operator to add it.',
    });
    assert.equal(await harness.exists('sealed', 'allowlist.pdf'), false);
  });

  it('says that storage mode is off when the allowlist is empty', async () => {
    await assert.rejects(
      sealStoredPdf(
        sealRequest('any.pdf'),
        dependencies({ allowlist: new ContainerAllowlist([]) }),
      ),
      {
        code: 'CONTAINER_NOT_ALLOWED',
        message:
          'Storage mode is off: SEAL_ALLOWED_CONTAINERS is empty, so no container may be used and ' +
          'the source container "documents" was refused; an operator must list the containers ' +
          'this app may touch.',
      },
    );
  });

  it('answers 404 SOURCE_NOT_FOUND for a missing source blob or container', async () => {
    await assert.rejects(sealStoredPdf(sealRequest('missing.pdf'), dependencies()), {
      code: 'SOURCE_NOT_FOUND',
      httpStatus: 404,
      message:
        'The source blob documents/missing.pdf does not exist; check the container and blob ' +
        'names (they are case-sensitive) and that the upload has finished.',
    });
    const allowlist = new ContainerAllowlist(['nowhere', 'sealed']);
    await assert.rejects(
      sealStoredPdf(
        { ...sealRequest('x.pdf'), source: { container: 'nowhere', blob: 'x.pdf' } },
        dependencies({ allowlist }),
      ),
      { code: 'SOURCE_NOT_FOUND', httpStatus: 404 },
    );
  });

  it('answers 404 DESTINATION_CONTAINER_NOT_FOUND and never creates a container', async () => {
    await harness.upload('documents', 'no-container.pdf', classic);
    const allowlist = new ContainerAllowlist(['documents', 'nowhere']);
    await assert.rejects(
      sealStoredPdf(
        {
          ...sealRequest('no-container.pdf'),
          destination: { container: 'nowhere', blob: 'x.pdf' },
        },
        dependencies({ allowlist }),
      ),
      {
        code: 'DESTINATION_CONTAINER_NOT_FOUND',
        httpStatus: 404,
        message:
          'The destination container "nowhere" does not exist; this app never creates ' +
          'containers: create it first or choose another.',
      },
    );
    assert.equal(await harness.service.getContainerClient('nowhere').exists(), false);
  });

  it('leaves an existing destination alone with 409 unless overwrite is asked for', async () => {
    await harness.upload('documents', 'exists.pdf', classic);
    const before = await harness.upload('sealed', 'exists.pdf', Buffer.from('keep me'));
    await assert.rejects(sealStoredPdf(sealRequest('exists.pdf'), dependencies()), {
      code: 'DESTINATION_EXISTS',
      httpStatus: 409,
      message:
        'The destination blob sealed/exists.pdf already exists and was left as it was; choose ' +
        'another name, or set "overwrite": true to replace it.',
    });
    assert.equal((await harness.download('sealed', 'exists.pdf')).toString(), 'keep me');

    const seal = await sealStoredPdf(
      sealRequest('exists.pdf', 'exists.pdf', { overwrite: true }),
      dependencies(),
    );
    assert.notEqual(seal.destination.etag, before);
    await assertSealed('exists.pdf', classic);
  });

  it('seals a blob in place when source and destination are one blob and overwrite is set', async () => {
    await harness.upload('documents', 'in-place.pdf', classic);
    const request = {
      ...sealRequest('in-place.pdf'),
      destination: { container: 'documents', blob: 'in-place.pdf' },
    };
    await assert.rejects(sealStoredPdf(request, dependencies()), { code: 'DESTINATION_EXISTS' });
    const seal = await sealStoredPdf({ ...request, overwrite: true }, dependencies());
    // Uploaded in one piece (Put Blob), it has no blocks to reuse: it is copied.
    assert.equal(seal.copyMethod, 'streamed');
    const sealed = await harness.download('documents', 'in-place.pdf');
    assert.ok(sealed.subarray(0, classic.length).equals(classic));
    assert.equal(
      verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots })[0]?.valid,
      true,
    );
  });

  it('seals a blob in place without copying when its committed blocks hold all of it', async () => {
    const client = harness.service.getContainerClient('documents').getBlockBlobClient('blocks.pdf');
    const ids = ['AAAAAAAAAAE=', 'AAAAAAAAAAI=', 'AAAAAAAAAAM='];
    const third = Math.ceil(twoMegabytes.length / 3);
    for (const [index, id] of ids.entries()) {
      const part = twoMegabytes.subarray(index * third, (index + 1) * third);
      await client.stageBlock(id, part, part.length);
    }
    await client.commitBlockList(ids);

    const location = { container: 'documents', blob: 'blocks.pdf' };
    const seal = await sealStoredPdf(
      { ...sealRequest('blocks.pdf'), destination: location, overwrite: true },
      dependencies(),
    );

    assert.equal(seal.copyMethod, 'in-place');
    const blocks = (await client.getBlockList('committed')).committedBlocks ?? [];
    assert.deepEqual(
      blocks.slice(0, 3).map((block) => block.name),
      ids,
    );
    assert.equal(blocks.length, 4, 'the original blocks and one for the update');
    assert.equal(Buffer.from(blocks[3]?.name ?? '', 'base64').length, 8, 'IDs of the same length');
    const sealed = await client.downloadToBuffer();
    assert.ok(sealed.subarray(0, twoMegabytes.length).equals(twoMegabytes));
    const [result] = verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots });
    assert.equal(result?.valid, true);
    assert.equal(result?.coversWholeDocument, true);
  });

  it('refuses with 409 SOURCE_CHANGED when the source no longer has the ETag asked for', async () => {
    const old = await harness.upload('documents', 'pinned.pdf', classic);
    await harness.upload('documents', 'pinned.pdf', twoMegabytes);
    await assert.rejects(
      sealStoredPdf(sealRequest('pinned.pdf', 'pinned.pdf', { sourceEtag: old }), dependencies()),
      {
        code: 'SOURCE_CHANGED',
        httpStatus: 409,
        message:
          'The source blob documents/pinned.pdf no longer has the ETag the request named; ' +
          'nothing was written: seal the current version or name its ETag.',
      },
    );
    assert.equal(await harness.exists('sealed', 'pinned.pdf'), false);
  });

  it('detects a source changed while it was sealed and commits nothing', async () => {
    await harness.upload('documents', 'moving.pdf', twoMegabytes);
    // The signer runs after the copy and before the commit: the source changes in between.
    const signer = {
      sign: async (digest: Uint8Array, options: DigestSignOptions) => {
        await harness.upload('documents', 'moving.pdf', classic);
        return harness.signer.sign(digest, options);
      },
    };
    await assert.rejects(sealStoredPdf(sealRequest('moving.pdf'), dependencies({ signer })), {
      code: 'SOURCE_CHANGED',
      httpStatus: 409,
      message:
        'The source blob documents/moving.pdf changed while it was being sealed; nothing was ' +
        'written: seal it again once nobody is writing it.',
    });
    assert.equal(await harness.exists('sealed', 'moving.pdf'), false);
  });

  it('leaves no destination blob when sealing fails after the copy, only uncommitted blocks', async () => {
    await harness.upload('documents', 'unsigned.pdf', twoMegabytes);
    const signer = {
      sign: () => Promise.reject(new SigningServiceUnavailableError(3, 503)),
    };
    await assert.rejects(sealStoredPdf(sealRequest('unsigned.pdf'), dependencies({ signer })), {
      code: 'SIGNING_SERVICE_UNAVAILABLE',
    });

    assert.equal(await harness.exists('sealed', 'unsigned.pdf'), false);
    const listed: string[] = [];
    for await (const blob of harness.service.getContainerClient('sealed').listBlobsFlat()) {
      listed.push(blob.name);
    }
    assert.ok(!listed.includes('unsigned.pdf'), 'not listed');
    const staged = await harness.service
      .getContainerClient('sealed')
      .getBlockBlobClient('unsigned.pdf')
      .getBlockList('uncommitted');
    assert.ok((staged.uncommittedBlocks?.length ?? 0) > 0, 'the copy had been staged');
  });

  it('keeps the old destination when sealing over it fails', async () => {
    await harness.upload('documents', 'replace-fails.pdf', classic);
    await harness.upload('sealed', 'replace-fails.pdf', Buffer.from('the old one'));
    const signer = { sign: () => Promise.reject(new SigningServiceUnavailableError(3, 503)) };
    await assert.rejects(
      sealStoredPdf(
        sealRequest('replace-fails.pdf', 'replace-fails.pdf', { overwrite: true }),
        dependencies({ signer }),
      ),
      { code: 'SIGNING_SERVICE_UNAVAILABLE' },
    );
    assert.equal((await harness.download('sealed', 'replace-fails.pdf')).toString(), 'the old one');
  });

  it('refuses to overwrite a destination someone else wrote while the seal was running', async () => {
    await harness.upload('documents', 'race.pdf', classic);
    const racing = (content: string) => ({
      sign: async (digest: Uint8Array, options: DigestSignOptions) => {
        await harness.upload('sealed', 'race.pdf', Buffer.from(content));
        return harness.signer.sign(digest, options);
      },
    });
    await assert.rejects(
      sealStoredPdf(sealRequest('race.pdf'), dependencies({ signer: racing('first writer') })),
      { code: 'DESTINATION_EXISTS' },
    );
    assert.equal((await harness.download('sealed', 'race.pdf')).toString(), 'first writer');

    await assert.rejects(
      sealStoredPdf(
        sealRequest('race.pdf', 'race.pdf', { overwrite: true }),
        dependencies({ signer: racing('second writer') }),
      ),
      {
        code: 'DESTINATION_CHANGED',
        httpStatus: 409,
        message:
          'The destination blob sealed/race.pdf was written by someone else while the seal was ' +
          'running; nothing was written: check it and seal again.',
      },
    );
    assert.equal((await harness.download('sealed', 'race.pdf')).toString(), 'second writer');
  });

  it('refuses a leased destination with 409 DESTINATION_LEASED', async () => {
    await harness.upload('documents', 'leased.pdf', classic);
    await harness.upload('sealed', 'leased.pdf', Buffer.from('locked'));
    const lease = harness.service
      .getContainerClient('sealed')
      .getBlobClient('leased.pdf')
      .getBlobLeaseClient();
    await lease.acquireLease(30);
    try {
      await assert.rejects(
        sealStoredPdf(sealRequest('leased.pdf', 'leased.pdf', { overwrite: true }), dependencies()),
        { code: 'DESTINATION_LEASED', httpStatus: 409 },
      );
    } finally {
      await lease.releaseLease();
    }
  });

  it('refuses a source that is not a PDF before copying anything', async () => {
    await harness.upload('documents', 'notes.txt', Buffer.from('just some notes'));
    await assert.rejects(sealStoredPdf(sealRequest('notes.txt'), dependencies()), {
      code: 'NOT_A_PDF',
      httpStatus: 400,
    });
    assert.equal(await harness.exists('sealed', 'notes.txt'), false);
  });
});
