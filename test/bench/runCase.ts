// One measured case of the benchmark, run in a fresh process so that its peak memory is its own.
//   node runCase.js <case> <pdf> [<signing url> <key id> <key hex>] [<p12 path>]
// Prints one JSON line: { ms, maxRssMiB }. `ms` covers reading the file and the work, in process.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { jsonWithBase64Stream } from '../../lib/api/jsonWithBase64Stream.js';
import { readBodyWithin } from '../../lib/api/readBodyWithin.js';
import { readSealRequest } from '../../lib/api/readSealRequest.js';
import { ByteRangeHasher } from '../../lib/sealing/ByteRangeHasher.js';
import { sealInMemory } from '../../lib/sealing/sealInMemory.js';
import { SigningApiClient } from '../../lib/signing/SigningApiClient.js';
import { staticCredentials } from '../../lib/signing/staticCredentials.js';

const [kind, pdfPath, signingUrl, keyId, keyHex, p12Path] = process.argv.slice(2);
if (!kind || !pdfPath) throw new Error('usage: runCase <case> <pdf> ...');

/** The floor: one streamed SHA-256 pass over the file in 1 MiB chunks. */
async function hash(): Promise<void> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(pdfPath ?? '', { highWaterMark: 1024 * 1024 })) {
    digest.update(chunk as Buffer);
  }
  digest.digest();
}

const signer = new SigningApiClient({
  baseUrl: signingUrl ?? '',
  credentials: staticCredentials(keyId ?? '', keyHex ?? ''),
});

/**
 * A running app has sealed before: one small seal before the clock starts takes the first
 * connection to the signing service and the first compilation of the sealing code out of the
 * measurement, as they are out of every request but a cold start's.
 */
async function warmUp(): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  const document = await PDFDocument.create();
  document.addPage();
  await sealInMemory(await document.save({ useObjectStreams: false }), signer, {
    signingTime: new Date(),
  });
}

/**
 * Our direct mode, as the function runs it: the body arrives in 1 MiB chunks, is kept in one
 * buffer and hashed as it arrives; then the seal is planned, the update hashed, the digest signed.
 */
async function seal(write: boolean): Promise<void> {
  const path = pdfPath ?? '';
  const hasher = new ByteRangeHasher();
  const body = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const { chunks } = await readBodyWithin(
    body,
    (await stat(path)).size,
    2 ** 31,
    () => new Error(),
    (c) => hasher.update(c),
  );
  const sealed = await sealInMemory(chunks, signer, { signingTime: new Date() }, hasher);
  if (write) await writeFile(`${pdfPath}.sealed`, sealed.parts);
}

/**
 * Our direct mode's JSON form, as the function runs it (what Power Automate's HTTP action sends):
 * `{"pdf": "<base64>"}` read from a request, decoded, sealed, and the JSON answer with the sealed
 * PDF in base64 produced to the last byte. The body file is made before the clock starts.
 */
async function sealJson(): Promise<void> {
  const path = `${pdfPath ?? ''}.json`;
  const headers = new Headers({
    'content-type': 'application/json',
    'content-length': String((await stat(path)).size),
  });
  const body = Readable.toWeb(createReadStream(path, { highWaterMark: 1024 * 1024 }));
  const request = { headers, body: body as ReadableStream, query: new URLSearchParams() };
  const read = await readSealRequest(request, 2 ** 31);
  if (read.mode !== 'direct') throw new Error('not a direct-mode request');
  const options = { signingTime: new Date() };
  const sealed = await sealInMemory(read.pdf, signer, options, read.hashedOriginal);
  const answer = jsonWithBase64Stream('pdf', sealed.parts, { keyId: sealed.signature.keyId });
  for await (const chunk of answer) void chunk;
}

/** The usual pipeline: pdf-lib's placeholder, a full save, @signpdf with a PKCS#12 signer. */
async function signpdfPipeline(): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
  const { P12Signer } = await import('@signpdf/signer-p12');
  const { SignPdf } = await import('@signpdf/signpdf');
  const pdfDoc = await PDFDocument.load(await readFile(pdfPath ?? ''));
  pdflibAddPlaceholder({ pdfDoc, reason: 'bench', contactInfo: '', name: 'bench', location: '' });
  const prepared = Buffer.from(await pdfDoc.save());
  const signer = new P12Signer(await readFile(p12Path ?? ''), { passphrase: 'bench' });
  await writeFile(`${pdfPath}.signpdf`, await new SignPdf().sign(prepared, signer));
}

const cases: Record<string, () => Promise<void>> = {
  hash,
  seal: () => seal(false),
  'seal+write': () => seal(true),
  'seal-json': sealJson,
  signpdf: signpdfPipeline,
};
const run = cases[kind];
if (!run) throw new Error(`unknown case ${kind}`);
if (kind.startsWith('seal')) await warmUp();
const started = performance.now();
await run();
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
