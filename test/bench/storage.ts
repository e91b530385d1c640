// The storage-mode benchmark (part of `npm run bench`, or alone: `node dist/test/bench/storage.js`):
// sealing a PDF held in Azurite into another blob, and sealing it in place, each against one
// streamed read-and-hash pass of the same blob, measured in the same run. Each case runs in a
// fresh process (its own peak memory); the cases of a round run back to back, so each ratio
// compares like with like.
//   BENCH_STORAGE_SIZES   sizes in MB (default 200,1024,2048)
//   BENCH_STORAGE_ROUNDS  rounds per size (default 3)
//   BENCH_STORAGE_COPY    copy mode of the seal: staged (default, as on the local stack), streamed,
//                         auto or service
// Azurite keeps its data in a temporary folder: about three times the largest size on disk.
import { BlobServiceClient } from '@azure/storage-blob';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultStagingContainer } from '../../lib/config/StorageSettings.js';
import { startAzurite } from '../../local/azurite/startAzurite.js';
import { startSigningService } from '../../local/signing-service/startSigningService.js';
import { writeLargePdf } from '../support/pdfCorpus.js';

interface Sample {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly copy?: string;
}

const run = promisify(execFile);
const runCase = fileURLToPath(new URL('./runStorageCase.js', import.meta.url));
const sizes = (process.env.BENCH_STORAGE_SIZES ?? '200,1024,2048').split(',').map(Number);
const rounds = Number(process.env.BENCH_STORAGE_ROUNDS ?? 3);
const copyMode = process.env.BENCH_STORAGE_COPY ?? 'staged';

/** Runs one case in a fresh process and reads its measurement. */
async function measure(args: readonly string[]): Promise<Sample> {
  const { stdout } = await run(process.execPath, [runCase, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'sealops-bench-storage-'));
const azurite = await startAzurite({ location: join(dir, 'azurite') });
const signing = await startSigningService({ stateDir: join(dir, 'signing') });
try {
  const key = await signing.issueKey();
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const documents = service.getContainerClient('documents');
  const sealed = service.getContainerClient('sealed');
  const staging = service.getContainerClient(defaultStagingContainer);
  await Promise.all([documents.create(), sealed.create(), staging.create()]);
  const warmUp = await writeLargePdf(join(dir, 'warm-up.pdf'), 1);
  await documents.getBlockBlobClient('bench-warm-up.pdf').uploadFile(warmUp.path);

  console.log(
    `\nStorage-mode sealing in Azurite (${copyMode} copy), ${rounds} rounds per size, medians ` +
      `(Node ${process.version})\n`,
  );
  console.log(
    'size      seal into         read+hash   seal        seal/read+hash   peak RSS seal / read+hash',
  );
  for (const megabytes of sizes) {
    const name = `${megabytes}mb.pdf`;
    const pdf = await writeLargePdf(join(dir, name), megabytes);
    const inPlace = `in-place-${name}`;
    // Uploaded in 8 MiB blocks, as any upload over 256 MiB is: blocks a seal in place reuses.
    for (const blob of [name, inPlace]) {
      await documents.getBlockBlobClient(blob).uploadFile(pdf.path, {
        blockSize: 8 << 20,
        maxSingleShotSize: 8 << 20,
        concurrency: 4,
      });
    }
    await rm(pdf.path);

    const cases = [
      { label: 'another blob', source: name, destination: ['sealed', name] },
      { label: 'itself', source: inPlace, destination: ['documents', inPlace] },
    ];
    for (const { label, source, destination } of cases) {
      const samples = { read: [] as Sample[], seal: [] as Sample[] };
      const ratios: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const common = [azurite.connectionString, 'documents', source];
        const read = await measure(['read-hash', ...common]);
        const seal = await measure([
          'seal',
          ...common,
          ...destination,
          signing.url,
          key.keyId,
          key.apiKeyHex,
          copyMode,
        ]);
        samples.read.push(read);
        samples.seal.push(seal);
        ratios.push(seal.ms / read.ms);
      }
      const ms = (list: Sample[]) => `${(median(list.map((s) => s.ms)) / 1000).toFixed(2)} s`;
      const rss = (list: Sample[]) => median(list.map((s) => s.maxRssMiB)).toFixed(0);
      console.log(
        `${`${megabytes} MB`.padEnd(10)}${label.padEnd(18)}${ms(samples.read).padEnd(12)}` +
          `${ms(samples.seal).padEnd(12)}${`${median(ratios).toFixed(2)}x`.padEnd(17)}` +
          `${rss(samples.seal)} MiB / ${rss(samples.read)} MiB ` +
          `(file ${(pdf.bytes / 2 ** 20).toFixed(0)} MiB, ${samples.seal[0]?.copy ?? '?'})`,
      );
    }
    await Promise.all([
      documents.deleteBlob(name),
      documents.deleteBlob(inPlace),
      sealed.deleteBlob(name),
    ]);
  }
  console.log(
    '\nTargets: peak memory under 200 MiB at every size; a seal at most 1.5x one read-and-hash ' +
      'pass of the same blob.',
  );
} finally {
  await signing.close();
  await azurite.stop();
  await rm(dir, { recursive: true, force: true });
}
