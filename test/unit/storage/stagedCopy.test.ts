import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AzureBlobDocumentStoreOptions } from '../../../lib/azure/AzureBlobDocumentStore.js';
import type { DigestSignOptions } from '../../../lib/signing/DigestSigner.js';
import { SigningServiceUnavailableError } from '../../../lib/signing/errors/SigningServiceUnavailableError.js';
import type { DocumentStore } from '../../../lib/storage/DocumentStore.js';
import { sealStoredPdf, type StoredSealDependencies } from '../../../lib/storage/sealStoredPdf.js';
import { verifyPdfSignatures } from '../../../lib/verification/verifyPdfSignatures.js';
import { writeLargePdf } from '../../support/pdfCorpus.js';
import { startStoreFaultProxy, type StoreFaults } from '../../support/storeFaultProxy.js';
import { sealRequest, startStorageHarness, type StorageHarness } from './storageHarness.js';

const stagingContainer = 'sealops-staging';

describe('staged copies against Azurite', () => {
  let harness: StorageHarness;
  let scratch: string;
  let document: Buffer;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sealops-staged-test-'));
    harness = await startStorageHarness();
    await harness.service.getContainerClient(stagingContainer).create();
    document = await readFile((await writeLargePdf(join(scratch, 'two.pdf'), 2)).path);
  });

  after(async () => {
    await harness?.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  const staged = (options: AzureBlobDocumentStoreOptions = {}, connectionString?: string) =>
    harness.store({ copyMode: 'staged', ...options }, connectionString);

  const dependencies = (
    overrides: Partial<StoredSealDependencies> = {},
  ): StoredSealDependencies => ({
    store: staged(),
    signer: harness.signer,
    allowlist: harness.allowlist,
    ...overrides,
  });

  /** Uploads `bytes` as three committed blocks, as any multi-block upload leaves a blob. */
  async function uploadInBlocks(blob: string, bytes: Buffer): Promise<string[]> {
    const client = harness.service.getContainerClient('documents').getBlockBlobClient(blob);
    const third = Math.ceil(bytes.length / 3);
    const ids = [1, 2, 3].map((n) => Buffer.from(`block-${String(n)}`).toString('base64'));
    for (const [index, id] of ids.entries()) {
      const part = bytes.subarray(index * third, (index + 1) * third);
      await client.stageBlock(id, part, part.length);
    }
    await client.commitBlockList(ids);
    return ids;
  }

  async function stagingBlobs(): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of harness.service.getContainerClient(stagingContainer).listBlobsFlat()) {
      names.push(blob.name);
    }
    return names;
  }

  async function assertSealed(name: string): Promise<void> {
    const sealed = await harness.download('sealed', name);
    assert.ok(sealed.subarray(0, document.length).equals(document), 'original kept as prefix');
    const [result, ...more] = verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots });
    assert.equal(more.length, 0);
    assert.equal(result?.valid, true, JSON.stringify(result?.checks));
    assert.equal(result?.coversWholeDocument, true);
  }

  it('copies whole blobs on the service, commits the update after the copied blocks, and leaves no staging blob', async () => {
    const ids = await uploadInBlocks('staged.pdf', document);
    const seal = await sealStoredPdf(sealRequest('staged.pdf'), dependencies());

    assert.equal(seal.copyMethod, 'staged');
    await assertSealed('staged.pdf');
    const client = harness.service.getContainerClient('sealed').getBlockBlobClient('staged.pdf');
    const properties = await client.getProperties();
    assert.equal(properties.etag, seal.destination.etag);
    assert.equal(properties.contentLength, seal.destination.size);
    assert.equal(properties.contentType, 'application/pdf');
    assert.deepEqual(
      { ...properties.metadata },
      {
        sealkeyid: harness.signing.key.keyId,
        sealfield: 'Seal1',
        sealsource: 'documents/staged.pdf',
        sealsourceetag: seal.source.etag.replaceAll('"', ''),
      },
    );
    // The original's blocks, never uploaded again, and one block for the update.
    const blocks = (await client.getBlockList('committed')).committedBlocks ?? [];
    assert.deepEqual(
      blocks.slice(0, 3).map((block) => block.name),
      ids,
    );
    assert.equal(blocks.length, 4);
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('streams a blob uploaded in one piece, which has no blocks to carry over', async () => {
    await harness.upload('documents', 'one-piece.pdf', document);
    const seal = await sealStoredPdf(sealRequest('one-piece.pdf'), dependencies());

    assert.equal(seal.copyMethod, 'streamed');
    await assertSealed('one-piece.pdf');
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('leaves no destination and deletes the staging blob when signing fails after the copy', async () => {
    await uploadInBlocks('unsigned.pdf', document);
    const signer = { sign: () => Promise.reject(new SigningServiceUnavailableError(3, 503)) };
    await assert.rejects(sealStoredPdf(sealRequest('unsigned.pdf'), dependencies({ signer })), {
      code: 'SIGNING_SERVICE_UNAVAILABLE',
    });
    assert.equal(await harness.exists('sealed', 'unsigned.pdf'), false);
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('keeps a destination that appeared meanwhile with 409 DESTINATION_EXISTS', async () => {
    await uploadInBlocks('raced.pdf', document);
    const signer = {
      sign: async (digest: Uint8Array, options: DigestSignOptions) => {
        await harness.upload('sealed', 'raced.pdf', Buffer.from('written by someone else'));
        return harness.signer.sign(digest, options);
      },
    };
    await assert.rejects(sealStoredPdf(sealRequest('raced.pdf'), dependencies({ signer })), {
      code: 'DESTINATION_EXISTS',
      httpStatus: 409,
    });
    assert.equal(
      (await harness.download('sealed', 'raced.pdf')).toString(),
      'written by someone else',
    );
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('replaces an existing destination only while it is the version found', async () => {
    await uploadInBlocks('replace.pdf', document);
    await harness.upload('sealed', 'replace.pdf', Buffer.from('old seal'));
    const overwrite = sealRequest('replace.pdf', 'replace.pdf', { overwrite: true });
    const signer = {
      sign: async (digest: Uint8Array, options: DigestSignOptions) => {
        await harness.upload('sealed', 'replace.pdf', Buffer.from('newer, by someone else'));
        return harness.signer.sign(digest, options);
      },
    };
    await assert.rejects(sealStoredPdf(overwrite, dependencies({ signer })), {
      code: 'DESTINATION_CHANGED',
      httpStatus: 409,
    });
    assert.equal(
      (await harness.download('sealed', 'replace.pdf')).toString(),
      'newer, by someone else',
    );

    const seal = await sealStoredPdf(overwrite, dependencies());
    assert.equal(seal.copyMethod, 'staged');
    await assertSealed('replace.pdf');
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('refuses with SOURCE_CHANGED when the source changes before the service copies it', async () => {
    await uploadInBlocks('moved.pdf', document);
    const inner = staged();
    // A new version of the same size lands after the plan was read and before the copy is made.
    const store: DocumentStore = {
      find: (location, role) => inner.find(location, role),
      open: (version) => inner.open(version),
      lease: (location, seconds) => inner.lease(location, seconds),
      delete: (location, leaseId) => inner.delete(location, leaseId),
      createWriter: async (destination, options) => {
        const changed = Buffer.from(document);
        const middle = changed.length >> 1;
        changed.writeUInt8((changed.readUInt8(middle) ^ 1) & 0xff, middle);
        await uploadInBlocks('moved.pdf', changed);
        return inner.createWriter(destination, options);
      },
    };
    let signed = 0;
    const signer = {
      sign: (digest: Uint8Array, options: DigestSignOptions) => {
        signed += 1;
        return harness.signer.sign(digest, options);
      },
    };
    await assert.rejects(sealStoredPdf(sealRequest('moved.pdf'), dependencies({ store, signer })), {
      code: 'SOURCE_CHANGED',
      message:
        'The source blob documents/moved.pdf changed while it was being sealed; nothing was ' +
        'written: seal it again once nobody is writing it.',
    });
    assert.equal(signed, 0, 'the copy itself refused the new version, before anything was signed');
    assert.equal(await harness.exists('sealed', 'moved.pdf'), false);
    assert.deepEqual(await stagingBlobs(), []);
  });

  /** Seals `documents/<name>`, uploaded in blocks, through a store behind a fault proxy. */
  async function sealThroughFaults(name: string, faults: StoreFaults) {
    const proxy = await startStoreFaultProxy(harness.azurite.connectionString, faults);
    try {
      await uploadInBlocks(name, document);
      const store = staged({}, proxy.connectionString);
      const seal = await sealStoredPdf(sealRequest(name), dependencies({ store }));
      return { seal, faults: proxy.faults() };
    } finally {
      await proxy.close();
    }
  }

  it('streams instead when the service has not finished the copy by the time it answers', async () => {
    const { seal, faults } = await sealThroughFaults('pending.pdf', { reportCopyPending: true });

    assert.equal(faults.reportCopyPending, 1);
    assert.equal(seal.copyMethod, 'streamed');
    await assertSealed('pending.pdf');
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('copies the sealed staging blob into blocks where the store has no synchronous copy', async () => {
    const { seal, faults } = await sealThroughFaults('no-sync.pdf', {
      refuseSynchronousCopy: true,
    });

    assert.equal(faults.refuseSynchronousCopy, 1);
    assert.equal(seal.copyMethod, 'staged');
    await assertSealed('no-sync.pdf');
    const properties = await harness.service
      .getContainerClient('sealed')
      .getBlobClient('no-sync.pdf')
      .getProperties();
    assert.equal(properties.etag, seal.destination.etag);
    assert.equal(properties.metadata?.sealkeyid, harness.signing.key.keyId);
    assert.deepEqual(await stagingBlobs(), []);
  });

  it('streams, and stops trying, when the staging container does not exist', async () => {
    await uploadInBlocks('no-staging.pdf', document);
    const store = staged({ stagingContainer: 'no-such-staging' });
    const first = await sealStoredPdf(sealRequest('no-staging.pdf'), dependencies({ store }));
    const second = await sealStoredPdf(
      sealRequest('no-staging.pdf', 'no-staging-2.pdf'),
      dependencies({ store }),
    );

    assert.equal(first.copyMethod, 'streamed');
    assert.equal(second.copyMethod, 'streamed');
    assert.equal(store.copyPlan(document.length).staged, false);
    assert.equal(await harness.service.getContainerClient('no-such-staging').exists(), false);
  });

  it('sweeps staging blobs left behind once they reach the maximum age', async () => {
    const leftover = harness.service
      .getContainerClient(stagingContainer)
      .getBlockBlobClient('left');
    await leftover.upload('a crashed seal', 14);
    await uploadInBlocks('sweep.pdf', document);

    await sealStoredPdf(sealRequest('sweep.pdf'), dependencies({ store: staged() }));
    assert.deepEqual(await stagingBlobs(), ['left'], 'younger than an hour: kept');

    const sweeping = staged({ stagingMaxAgeMs: 0 });
    await sealStoredPdf(sealRequest('sweep.pdf', 'sweep-2.pdf'), dependencies({ store: sweeping }));
    assert.deepEqual(await stagingBlobs(), []);
  });
});
