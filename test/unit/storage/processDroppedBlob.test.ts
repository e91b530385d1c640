import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { DigestSigner } from '../../../lib/signing/DigestSigner.js';
import { SigningServiceUnavailableError } from '../../../lib/signing/errors/SigningServiceUnavailableError.js';
import { ContainerAllowlist } from '../../../lib/storage/ContainerAllowlist.js';
import {
  processDroppedBlob,
  type DropFolderDependencies,
  type DropInvocation,
} from '../../../lib/storage/dropFolder/processDroppedBlob.js';
import { sealStoredPdf } from '../../../lib/storage/sealStoredPdf.js';
import { MemoryTelemetrySink } from '../../../lib/telemetry/MemoryTelemetrySink.js';
import { verifyPdfSignatures } from '../../../lib/verification/verifyPdfSignatures.js';
import { makePdfCorpus, type PdfCorpus } from '../../support/pdfCorpus.js';
import { startStorageHarness, type StorageHarness } from './storageHarness.js';

const folder = { inbox: 'inbox', outbox: 'outbox', failed: 'failed' };
const failing: DigestSigner = {
  sign: () => Promise.reject(new SigningServiceUnavailableError(3, 503)),
};

describe('the drop folder against Azurite', () => {
  let harness: StorageHarness;
  let corpus: PdfCorpus;
  let classic: Buffer;
  let telemetry: MemoryTelemetrySink;
  const logs: string[] = [];

  before(async () => {
    [harness, corpus] = await Promise.all([startStorageHarness(), makePdfCorpus()]);
    await Promise.all(
      Object.values(folder).map((name) => harness.service.getContainerClient(name).create()),
    );
    classic = await readFile(corpus.get('classic').path);
  });

  after(async () => {
    await harness?.dispose();
    await corpus?.remove();
  });

  const dependencies = (
    overrides: Partial<DropFolderDependencies> = {},
  ): DropFolderDependencies => {
    telemetry = new MemoryTelemetrySink();
    return {
      store: harness.store({ copyMode: 'streamed' }),
      signer: harness.signer,
      allowlist: new ContainerAllowlist(Object.values(folder)),
      telemetry,
      folder,
      subFilter: 'ETSI.CAdES.detached',
      clock: () => new Date('2024-06-01T12:00:00Z'),
      ...overrides,
    };
  };
  const invocation = (dequeueCount = 1): DropInvocation => ({
    invocationId: `invocation-${dequeueCount}`,
    dequeueCount,
    maxDequeueCount: 5,
    log: {
      info: (line) => logs.push(line),
      warn: (line) => logs.push(line),
      error: (line) => logs.push(line),
    },
  });
  const inbox = (blob: string) => ({ container: 'inbox', blob });
  const properties = (container: string, blob: string) =>
    harness.service.getContainerClient(container).getBlobClient(blob).getProperties();

  it('seals a dropped PDF into the outbox under its name and removes it from the inbox', async () => {
    await harness.upload('inbox', 'scan.pdf', classic);
    const outcome = await processDroppedBlob(inbox('scan.pdf'), dependencies(), invocation());

    assert.equal(outcome, 'sealed');
    assert.equal(await harness.exists('inbox', 'scan.pdf'), false);
    const sealed = await harness.download('outbox', 'scan.pdf');
    assert.ok(sealed.subarray(0, classic.length).equals(classic));
    const [result] = verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots });
    assert.equal(result?.valid, true);
    assert.equal(result?.subFilter, 'ETSI.CAdES.detached');
    assert.deepEqual(
      telemetry.events.map((event) => ({ ...event, durationMs: 0 })),
      [
        {
          name: 'SealRequest',
          mode: 'storage',
          trigger: 'drop-folder',
          invocationId: 'invocation-1',
          outcome: 'success',
          statusCode: 200,
          sizeBytes: classic.length,
          durationMs: 0,
          keyId: harness.signing.key.keyId,
          copy: 'streamed',
        },
      ],
    );
  });

  it('does nothing on a second delivery of the same event', async () => {
    await harness.upload('inbox', 'twice.pdf', classic);
    assert.equal(
      await processDroppedBlob(inbox('twice.pdf'), dependencies(), invocation()),
      'sealed',
    );
    const { etag } = await properties('outbox', 'twice.pdf');

    assert.equal(
      await processDroppedBlob(inbox('twice.pdf'), dependencies(), invocation()),
      'gone',
    );
    assert.equal((await properties('outbox', 'twice.pdf')).etag, etag);
  });

  it('leaves a blob that another worker holds to that worker', async () => {
    await harness.upload('inbox', 'busy.pdf', classic);
    const lease = harness.service
      .getContainerClient('inbox')
      .getBlobClient('busy.pdf')
      .getBlobLeaseClient();
    await lease.acquireLease(30);
    try {
      assert.equal(
        await processDroppedBlob(inbox('busy.pdf'), dependencies(), invocation()),
        'busy',
      );
      assert.equal(await harness.exists('outbox', 'busy.pdf'), false);
      assert.equal(await harness.exists('inbox', 'busy.pdf'), true);
    } finally {
      await lease.releaseLease();
    }
  });

  it('only removes a blob that an earlier delivery sealed but did not remove', async () => {
    await harness.upload('inbox', 'crashed.pdf', classic);
    // What a worker that crashed between committing and deleting leaves behind.
    await sealStoredPdf(
      {
        source: inbox('crashed.pdf'),
        destination: { container: 'outbox', blob: 'crashed.pdf' },
        seal: { signingTime: new Date() },
      },
      dependencies(),
    );
    const { etag } = await properties('outbox', 'crashed.pdf');

    const outcome = await processDroppedBlob(inbox('crashed.pdf'), dependencies(), invocation(2));
    assert.equal(outcome, 'already-sealed');
    assert.equal(await harness.exists('inbox', 'crashed.pdf'), false);
    assert.equal((await properties('outbox', 'crashed.pdf')).etag, etag, 'not sealed twice');
  });

  it('takes a seal made meanwhile by a worker whose lease had lapsed as done, not as a failure', async () => {
    await harness.upload('inbox', 'lapsed.pdf', classic);
    // The other worker commits its seal while this one is signing.
    const signer: DigestSigner = {
      sign: async (digest, options) => {
        await sealStoredPdf(
          {
            source: inbox('lapsed.pdf'),
            destination: { container: 'outbox', blob: 'lapsed.pdf' },
            seal: { signingTime: new Date() },
          },
          dependencies(),
        );
        return harness.signer.sign(digest, options);
      },
    };
    const outcome = await processDroppedBlob(
      inbox('lapsed.pdf'),
      dependencies({ signer }),
      invocation(),
    );

    assert.equal(outcome, 'already-sealed');
    assert.equal(await harness.exists('inbox', 'lapsed.pdf'), false);
    assert.equal(await harness.exists('failed', 'lapsed.pdf'), false);
    const sealed = await harness.download('outbox', 'lapsed.pdf');
    assert.equal(verifyPdfSignatures(sealed, { trustedRoots: harness.trustedRoots }).length, 1);
  });

  it('moves a file that is not a PDF to the failed container with the reason in metadata', async () => {
    await harness.upload('inbox', 'letter.pdf', Buffer.from('Dear sir'));
    const outcome = await processDroppedBlob(inbox('letter.pdf'), dependencies(), invocation());

    assert.equal(outcome, 'failed');
    assert.equal(await harness.exists('inbox', 'letter.pdf'), false);
    assert.equal(await harness.exists('outbox', 'letter.pdf'), false);
    assert.equal((await harness.download('failed', 'letter.pdf')).toString(), 'Dear sir');
    const { metadata } = await properties('failed', 'letter.pdf');
    assert.deepEqual(
      { ...metadata },
      {
        sealerrorcode: 'NOT_A_PDF',
        // Percent-encoded, as metadata must be ASCII: decodeURIComponent gives the sentence.
        sealerror:
          'The document is not a PDF: it does not start with %25PDF- (looked in its first 1024 ' +
          'bytes); send the PDF file itself.',
        sealfailedat: '2024-06-01T12:00:00.000Z',
        sealinvocationid: 'invocation-1',
        sealattempts: '1',
      },
    );
    assert.equal(
      telemetry.events[0]?.name === 'SealRequest' && telemetry.events[0].errorCode,
      'NOT_A_PDF',
    );
  });

  it('throws a failure that may pass, so the queue retries, and sets the file aside on the last try', async () => {
    await harness.upload('inbox', 'later.pdf', classic);
    await assert.rejects(
      processDroppedBlob(inbox('later.pdf'), dependencies({ signer: failing }), invocation(1)),
      { code: 'SIGNING_SERVICE_UNAVAILABLE' },
    );
    assert.equal(await harness.exists('inbox', 'later.pdf'), true, 'left for the next delivery');
    assert.equal(await harness.exists('failed', 'later.pdf'), false);

    const outcome = await processDroppedBlob(
      inbox('later.pdf'),
      dependencies({ signer: failing }),
      invocation(5),
    );
    assert.equal(outcome, 'failed');
    const { metadata } = await properties('failed', 'later.pdf');
    assert.equal(metadata?.sealerrorcode, 'SIGNING_SERVICE_UNAVAILABLE');
    assert.equal(metadata?.sealattempts, '5');
    assert.equal(await harness.exists('inbox', 'later.pdf'), false);
  });

  it('sets aside a file whose name is taken in the outbox by another document', async () => {
    await harness.upload('outbox', 'taken.pdf', Buffer.from('someone else'));
    await harness.upload('inbox', 'taken.pdf', classic);
    const outcome = await processDroppedBlob(inbox('taken.pdf'), dependencies(), invocation());

    assert.equal(outcome, 'failed');
    assert.equal((await harness.download('outbox', 'taken.pdf')).toString(), 'someone else');
    assert.equal(
      (await properties('failed', 'taken.pdf')).metadata?.sealerrorcode,
      'DESTINATION_EXISTS',
    );
  });

  it('ignores an event about a blob outside the inbox', async () => {
    await harness.upload('outbox', 'elsewhere.pdf', classic);
    const outcome = await processDroppedBlob(
      { container: 'outbox', blob: 'elsewhere.pdf' },
      dependencies(),
      invocation(),
    );
    assert.equal(outcome, 'ignored');
    assert.ok(
      logs.includes('Ignored an event for outbox/elsewhere.pdf: not in the inbox "inbox".'),
    );
  });
});
