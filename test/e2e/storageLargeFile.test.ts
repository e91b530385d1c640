import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeLargePdf, type LargePdf } from '../support/pdfCorpus.js';
import { requireTool } from '../support/requireTool.js';
import { runTool } from '../support/signingServiceFixture.js';
import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';
import { stackBlobs, storageSealer, type StorageSealBody } from '../support/storageRequests.js';

/** Larger than the 512 MiB at which the usual in-memory pipeline cannot seal at all. */
const megabytes = 620;
/** Flat memory: the stack process may not grow by more than this while sealing. */
const maxGrowthMiB = 80;
const cli = resolve(fileURLToPath(import.meta.url), '../../../runbooks/cli.js');

/** Peak and current resident memory of a process, in MiB (Linux). */
async function memoryOf(pid: number): Promise<{ peakMiB: number; currentMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { peakMiB: kib('VmHWM') / 1024, currentMiB: kib('VmRSS') / 1024 };
}

/** SHA-256 of the first `length` bytes of a file, streamed. */
async function hashPrefix(path: string, length: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { end: length - 1, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

describe(
  `storage mode with a ${megabytes} MB PDF`,
  { skip: process.platform !== 'linux' && 'reads /proc' },
  () => {
    let stack: StackProcess;
    let scratch: string;
    let pdf: LargePdf;

    before(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'sealops-large-'));
      [stack, pdf] = await Promise.all([
        startStackProcess({ SEAL_ALLOWED_CONTAINERS: 'documents,sealed' }),
        writeLargePdf(join(scratch, 'large.pdf'), megabytes),
      ]);
    });

    after(async () => {
      await stack?.stop();
      await rm(scratch, { recursive: true, force: true });
    });

    /** Runs `sealops` (from this build) as an operator would, against the stack. */
    const sealops = (args: string[]) =>
      promisify(execFile)(process.execPath, [cli, ...args], {
        env: { ...process.env, SEALOPS_STATE_DIR: stack.stateDir },
        maxBuffer: 1 << 20,
      });

    it('seals it in flat memory into a blob that the verifier and pdfsig accept', async (t) => {
      const blobs = stackBlobs(stack);
      // As a newcomer does it: `sealops blob put`, one request, `sealops blob get`.
      await sealops(['blob', 'put', pdf.path, 'documents/large.pdf']);
      const seal = storageSealer(stack);
      // A first, small seal loads the code and opens the connections, as in a running app.
      await blobs.getContainerClient('documents').getBlockBlobClient('small.pdf').upload('x', 1);
      await seal({
        source: { container: 'documents', blob: 'small.pdf' },
        destination: { container: 'sealed', blob: 'small.pdf' },
      });
      const before = await memoryOf(stack.pid);

      const response = await seal({
        source: { container: 'documents', blob: 'large.pdf' },
        destination: { container: 'sealed', blob: 'large.pdf' },
      });
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as StorageSealBody;
      const afterSeal = await memoryOf(stack.pid);
      const growth = afterSeal.peakMiB - Math.max(before.peakMiB, before.currentMiB);
      t.diagnostic(
        `${(pdf.bytes / 2 ** 20).toFixed(0)} MiB sealed in ${body.durationMs} ms (${body.copy} ` +
          `copy); stack peak ${afterSeal.peakMiB.toFixed(0)} MiB, ${before.peakMiB.toFixed(0)} ` +
          'MiB before',
      );
      assert.ok(
        growth < maxGrowthMiB,
        `the stack's peak memory grew by ${growth.toFixed(0)} MiB sealing ${megabytes} MB`,
      );
      // `sealops blob put` uploads in blocks, which the local stack's staged copy carries over.
      assert.equal(body.copy, 'staged');
      const staging = blobs.getContainerClient('sealops-staging').listBlobsFlat();
      assert.equal((await staging.next()).done, true, 'no staging blob left behind');

      const sealedPath = join(scratch, 'sealed.pdf');
      await sealops(['blob', 'get', 'sealed/large.pdf', sealedPath]);
      assert.equal((await stat(sealedPath)).size, body.destination.sizeBytes);
      assert.equal(
        await hashPrefix(sealedPath, pdf.bytes),
        await hashPrefix(pdf.path, pdf.bytes),
        'the original is an untouched prefix',
      );

      // The in-project verifier, as an operator runs it: `sealops verify`, in its own process.
      const rootPath = join(stack.stateDir, 'signing-service/pki/root.cert.pem');
      const { stdout } = await sealops(['verify', sealedPath, '--root', rootPath]);
      assert.match(stdout, /^Signature 1: VALID, covers the whole document/m);

      if (await requireTool(t, 'pdfsig')) {
        const report = await runTool('pdfsig', ['-nssdir', stack.nssDatabase ?? '', sealedPath]);
        assert.match(report.stdout, /Signature is Valid/);
        assert.match(report.stdout, /Total document signed/);
        assert.match(report.stdout, /Certificate is Trusted/);
      }
    });
  },
);
