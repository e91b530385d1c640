import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import {
  digestByteRanges,
  digestOriginalAndUpdate,
} from '../../../lib/sealing/digestByteRanges.js';
import { embedCms } from '../../../lib/sealing/embedCms.js';
import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';
import type { PdfCorpus } from '../../support/pdfCorpus.js';
import { makePdfCorpus } from '../../support/pdfCorpus.js';
import { requireTool } from '../../support/requireTool.js';
import { signingTime } from './sealingHarness.js';

let corpus: PdfCorpus;
let classic: Buffer;

before(async () => {
  corpus = await makePdfCorpus();
  classic = await readFile(corpus.get('classic').path);
});

after(async () => {
  await corpus.remove();
});

const plan = (bytes: Uint8Array, options = {}) =>
  planIncrementalSeal(bufferSource(bytes), { signingTime, ...options });

// Replaces `from` with `to` of the same length, so no offset moves.
function patch(bytes: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const text = bytes.toString('latin1');
  const at = text.lastIndexOf(from);
  assert.ok(at >= 0, `"${from}" is in the file`);
  return Buffer.from(text.slice(0, at) + to + text.slice(at + from.length), 'latin1');
}

describe('sealing refuses what it cannot seal, with a stable code', () => {
  test('a body that is not a PDF is NOT_A_PDF', async () => {
    for (const body of [
      Buffer.from('hello, world'),
      Buffer.alloc(0),
      Buffer.concat([Buffer.alloc(1100, 0x20), classic]),
    ]) {
      await assert.rejects(plan(body), {
        code: 'NOT_A_PDF',
        httpStatus: 400,
        message:
          'The document is not a PDF: it does not start with %PDF- (looked in its first 1024 bytes); send the PDF file itself.',
      });
    }
  });

  test('a truncated PDF is PDF_DAMAGED', async () => {
    await assert.rejects(plan(classic.subarray(0, classic.byteLength - 200)), {
      code: 'PDF_DAMAGED',
      httpStatus: 422,
      message: `The PDF is damaged: no startxref in its last ${classic.byteLength - 200} bytes, so it is probably truncated; repair it (for example with \`qpdf in.pdf out.pdf\`) and send it again.`,
    });
  });

  test('a startxref that points nowhere is PDF_DAMAGED, never repaired by guessing', async () => {
    const startxref = /startxref\n(\d+)\n/.exec(classic.toString('latin1').slice(-40))?.[1] ?? '';
    const wrong = String(Number(startxref) - 7).padStart(startxref.length, '0');
    await assert.rejects(plan(patch(classic, `startxref\n${startxref}`, `startxref\n${wrong}`)), {
      code: 'PDF_DAMAGED',
      message: `The PDF is damaged: startxref points at offset ${Number(wrong)}, where no xref section starts; repair it (for example with \`qpdf in.pdf out.pdf\`) and send it again.`,
    });
  });

  test('an xref entry that points at the wrong object is PDF_DAMAGED', async () => {
    const text = classic.toString('latin1');
    const catalogOffset = text.indexOf('2 0 obj');
    const pagesOffset = text.indexOf('1 0 obj');
    const entry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n`;
    await assert.rejects(plan(patch(classic, entry(catalogOffset), entry(pagesOffset))), {
      code: 'PDF_DAMAGED',
      message: `The PDF is damaged: the xref entry for object 2 points at offset ${pagesOffset}, where object 1 starts; repair it (for example with \`qpdf in.pdf out.pdf\`) and send it again.`,
    });
  });

  test('a malformed xref table is PDF_DAMAGED', async () => {
    const broken = patch(classic, ' 00000 n ', ' 00000 x ');
    await assert.rejects(plan(broken), {
      code: 'PDF_DAMAGED',
      message:
        /^The PDF is damaged: the xref table at offset \d+ has a malformed entry for object \d+; /,
    });
  });

  test('a /Prev chain that loops is PDF_DAMAGED', async () => {
    const updated = await readFile(corpus.get('incremental').path);
    const text = updated.toString('latin1');
    const ownOffset = /startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1] ?? '';
    const prev = /\/Prev (\d+) >>\nstartxref\n\d+\n%%EOF\n$/.exec(text)?.[1] ?? '';
    assert.equal(prev.length, ownOffset.length, 'the patch keeps every offset in place');
    await assert.rejects(plan(patch(updated, `/Prev ${prev}`, `/Prev ${ownOffset}`)), {
      code: 'PDF_DAMAGED',
      message: `The PDF is damaged: the /Prev chain loops back to offset ${ownOffset}; repair it (for example with \`qpdf in.pdf out.pdf\`) and send it again.`,
    });
  });

  test('an encrypted PDF is PDF_ENCRYPTED', async (t) => {
    if (!(await requireTool(t, 'qpdf'))) return;
    await assert.rejects(plan(await readFile(corpus.get('encrypted').path)), {
      code: 'PDF_ENCRYPTED',
      httpStatus: 422,
      message:
        'The PDF is encrypted, and sealing encrypted PDFs is not supported; decrypt it first (for example with `qpdf --decrypt in.pdf out.pdf`) and send it again.',
    });
  });

  test('a CMS larger than the reservation is SIGNATURE_TOO_LARGE and never truncated', async () => {
    const sealPlan = await plan(classic);
    assert.throws(() => embedCms(sealPlan, randomBytes(8193)), {
      code: 'SIGNATURE_TOO_LARGE',
      httpStatus: 502,
      message:
        'The signature (CMS) is 8193 bytes but only 8192 bytes were reserved for /Contents; seal again with a larger reservation (contentsCapacity).',
    });
    assert.equal(embedCms(sealPlan, randomBytes(8192)).byteLength, sealPlan.update.byteLength);
  });

  test('options out of range are SEAL_OPTIONS_INVALID', async () => {
    await assert.rejects(plan(classic, { contentsCapacity: 10 }), {
      code: 'SEAL_OPTIONS_INVALID',
      message:
        'The seal option "contentsCapacity" is invalid: expected a whole number of bytes from 1024 to 1048576.',
    });
    await assert.rejects(plan(classic, { fieldName: 'a.b' }), { code: 'SEAL_OPTIONS_INVALID' });
    await assert.rejects(plan(classic, { signingTime: new Date(NaN) }), {
      code: 'SEAL_OPTIONS_INVALID',
    });
  });

  test('bytes that do not add up to the planned document are DIGEST_INPUT_MISMATCH', async () => {
    const sealPlan = await plan(classic);
    await assert.rejects(digestByteRanges([classic], sealPlan), {
      code: 'DIGEST_INPUT_MISMATCH',
      message: `The sealed document handed to the digest is ${classic.byteLength} bytes where the seal plan expects ${sealPlan.totalSize}; plan the seal again over the current document.`,
    });
    assert.throws(() => digestOriginalAndUpdate(classic.subarray(1), sealPlan), {
      code: 'DIGEST_INPUT_MISMATCH',
    });
  });
});
