// `npm run bench`: direct-mode sealing against the hash floor and the usual @signpdf pipeline,
// measured in the same run. Each case runs in a fresh process (its own peak memory); the cases of
// one round run back to back, so each ratio compares like with like, and the median is reported.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { jsonWithBase64Stream } from '../../lib/api/jsonWithBase64Stream.js';
import { startSigningService } from '../../local/signing-service/startSigningService.js';
import { writeLargePdf } from '../support/pdfCorpus.js';

const run = promisify(execFile);
const runCase = fileURLToPath(new URL('./runCase.js', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1,10,50').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

interface Sample {
  ms: number;
  maxRssMiB: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'sealops-bench-'));
const service = await startSigningService({ stateDir: join(dir, 'signing') });
try {
  const key = await service.issueKey();
  const p12Path = join(dir, 'seal.p12');
  await writeFile(p12Path, await localP12(join(dir, 'signing')));

  console.log(
    `Direct-mode sealing, ${rounds} rounds per size, medians (Node ${process.version})\n`,
  );
  console.log(
    'size    hash floor   seal         seal+write   @signpdf     seal/hash  seal+write/hash  ' +
      '@signpdf/seal  peak RSS seal / @signpdf',
  );
  const jsonRows: string[] = [];
  for (const megabytes of sizes) {
    const pdf = await writeLargePdf(join(dir, `${megabytes}mb.pdf`), megabytes);
    // The JSON form's body, `{"pdf":"<base64>"}`, made once before the clock starts.
    const body = jsonWithBase64Stream('pdf', [await readFile(pdf.path)], {});
    await pipeline(Readable.fromWeb(body as never), createWriteStream(`${pdf.path}.json`));
    const samples: Record<string, Sample[]> = {
      hash: [],
      seal: [],
      'seal+write': [],
      'seal-json': [],
      signpdf: [],
    };
    const ratios = {
      seal: [] as number[],
      write: [] as number[],
      json: [] as number[],
      signpdf: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      const measure = async (kind: string) => {
        const args = [runCase, kind, pdf.path, service.url, key.keyId, key.apiKeyHex, p12Path];
        const { stdout } = await run(process.execPath, args, { maxBuffer: 1024 * 1024 });
        const sample = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Sample;
        samples[kind]?.push(sample);
        return sample.ms;
      };
      const floor = await measure('hash');
      const seal = await measure('seal');
      const write = await measure('seal+write');
      const json = await measure('seal-json');
      const signpdf = await measure('signpdf');
      ratios.seal.push(seal / floor);
      ratios.write.push(write / floor);
      ratios.json.push(json / floor);
      ratios.signpdf.push(signpdf / seal);
    }
    const ms = (kind: string) => `${median(samples[kind]?.map((s) => s.ms) ?? []).toFixed(0)} ms`;
    const rss = (kind: string) => median(samples[kind]?.map((s) => s.maxRssMiB) ?? []).toFixed(0);
    console.log(
      `${`${megabytes} MB`.padEnd(8)}${ms('hash').padEnd(13)}${ms('seal').padEnd(13)}` +
        `${ms('seal+write').padEnd(13)}${ms('signpdf').padEnd(13)}` +
        `${`${median(ratios.seal).toFixed(2)}x`.padEnd(11)}` +
        `${`${median(ratios.write).toFixed(2)}x`.padEnd(17)}` +
        `${`${median(ratios.signpdf).toFixed(1)}x`.padEnd(15)}` +
        `${rss('seal')} MiB / ${rss('signpdf')} MiB (file ${(pdf.bytes / 2 ** 20).toFixed(0)} MiB)`,
    );
    jsonRows.push(
      `${`${megabytes} MB`.padEnd(8)}${ms('hash').padEnd(13)}${ms('seal-json').padEnd(13)}` +
        `${`${median(ratios.json).toFixed(2)}x`.padEnd(16)}` +
        `${rss('seal-json')} MiB / ${rss('seal')} MiB`,
    );
  }
  console.log(
    '\nThe JSON form, {"pdf":"<base64>"} in and the sealed PDF in base64 out, same rounds:\n' +
      'size    hash floor   seal json    seal json/hash  peak RSS json / raw',
  );
  for (const row of jsonRows) console.log(row);
  console.log(
    '\nTargets at 50 MB: seal at most 1.5x the hash floor, @signpdf at least 5x slower than seal, ' +
      'peak memory at most the file size + 150 MiB.',
  );
} finally {
  await service.close();
  await rm(dir, { recursive: true, force: true });
}

// Storage mode has a benchmark of its own (test/bench/storage.ts); BENCH_STORAGE=off skips it.
if (process.env.BENCH_STORAGE !== 'off') await import('./storage.js');

/** The local seal key and certificate as PKCS#12, which @signpdf's signer needs. */
async function localP12(signingStateDir: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  const pki = join(signingStateDir, 'pki');
  const key = forge.pki.privateKeyFromPem(await readFile(join(pki, 'seal.key.pem'), 'utf8'));
  const cert = forge.pki.certificateFromPem(await readFile(join(pki, 'seal.cert.pem'), 'utf8'));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], 'bench', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
