import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { embedCms } from '../../../lib/sealing/embedCms.js';
import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';
import type { PdfCorpus } from '../../support/pdfCorpus.js';
import { makePdfCorpus } from '../../support/pdfCorpus.js';
import { requireTool } from '../../support/requireTool.js';
import { signedBytes, signingTime } from './sealingHarness.js';

const run = promisify(execFile);

let corpus: PdfCorpus;
let certificate: Promise<void> | undefined;

before(async () => {
  corpus = await makePdfCorpus();
});

// A throwaway P-256 seal certificate, made once, when a test that needs it runs.
function makeCertificate(): Promise<void> {
  const { directory } = corpus;
  certificate ??= run('openssl', [
    ...'req -x509 -nodes -days 2 -newkey ec -pkeyopt ec_paramgen_curve:P-256'.split(' '),
    ...['-subj', '/CN=sealops test seal'],
    ...['-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem')],
  ]).then(() => undefined);
  return certificate;
}

after(async () => {
  await corpus.remove();
});

// Seals `original` with a real detached CMS that openssl makes over the byte ranges, standing in
// for the signing service.
async function sealWithOpenssl(original: Buffer, name: string): Promise<Buffer> {
  await makeCertificate();
  const plan = await planIncrementalSeal(bufferSource(original), { signingTime });
  const rangesPath = join(corpus.directory, `${name}.ranges`);
  const cmsPath = join(corpus.directory, `${name}.p7s`);
  await writeFile(rangesPath, signedBytes(Buffer.concat([original, plan.update]), plan.byteRange));
  await run('openssl', [
    ...['cms', '-sign', '-binary', '-outform', 'DER', '-in', rangesPath, '-out', cmsPath],
    ...['-signer', join(corpus.directory, 'cert.pem'), '-inkey', join(corpus.directory, 'key.pem')],
  ]);
  return Buffer.concat([original, embedCms(plan, await readFile(cmsPath))]);
}

async function pdfsig(sealed: Buffer, name: string): Promise<string> {
  const path = join(corpus.directory, `${name}-signed.pdf`);
  await writeFile(path, sealed);
  // pdfsig exits non-zero when a certificate is untrusted; the report is still on stdout.
  const result = await run('pdfsig', [path]).catch((error: { stdout?: string }) => error);
  return result.stdout ?? '';
}

test('poppler verifies a real CMS embedded in every corpus structure, over the whole document', async (t) => {
  if (!(await requireTool(t, 'openssl')) || !(await requireTool(t, 'pdfsig'))) return;
  for (const entry of corpus.entries.filter((candidate) => candidate.structure !== 'encrypted')) {
    const report = await pdfsig(
      await sealWithOpenssl(await readFile(entry.path), entry.name),
      entry.name,
    );
    assert.match(report, /Signature Validation: Signature is Valid\./, `${entry.name}:\n${report}`);
    assert.match(report, /Total document signed/, `${entry.name}:\n${report}`);
  }
});

test('poppler verifies both seals of a file sealed twice', async (t) => {
  if (!(await requireTool(t, 'openssl')) || !(await requireTool(t, 'pdfsig'))) return;
  const once = await sealWithOpenssl(
    await readFile(corpus.get('xref-stream-pdf-lib').path),
    'once',
  );
  const report = await pdfsig(await sealWithOpenssl(once, 'twice'), 'twice');
  assert.equal(report.match(/Signature Validation: Signature is Valid\./g)?.length, 2, report);
  assert.match(report, /Signature #2:\n {2}- Signature Field Name: Seal2\n/, report);
});
