import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PDFDocument } from 'pdf-lib';

import { digestByteRanges } from '../../../lib/sealing/digestByteRanges.js';
import type { CorpusEntry, PdfCorpus } from '../../support/pdfCorpus.js';
import { makePdfCorpus, qpdf } from '../../support/pdfCorpus.js';
import { requireTool } from '../../support/requireTool.js';
import {
  countEofMarkers,
  readSignatureFields,
  sealForTest,
  signedBytes,
} from './sealingHarness.js';

let corpus: PdfCorpus;

before(async () => {
  corpus = await makePdfCorpus();
});

after(async () => {
  await corpus.remove();
});

const sealable = (): CorpusEntry[] =>
  corpus.entries.filter((entry) => entry.structure !== 'encrypted');

async function assertQpdfCheckPasses(bytes: Buffer, name: string): Promise<void> {
  const path = join(corpus.directory, name);
  await writeFile(path, bytes);
  const result = await qpdf(['--check', path]);
  assert.equal(result.code, 0, `qpdf --check warned about ${name}: ${result.stderr}`);
  assert.match(result.stdout, /No syntax or stream encoding errors found/);
}

describe('planIncrementalSeal over the corpus', () => {
  test('the corpus holds every structure the sealer must handle', async (t) => {
    if (!(await requireTool(t, 'qpdf'))) return;
    const structures = new Set(corpus.entries.map((entry) => entry.structure));
    const expected =
      'classic xref-stream hybrid linearized incremental acroform junk-prefix encrypted';
    assert.deepEqual(structures, new Set(expected.split(' ')));
  });

  test('each structure seals with the original kept as an untouched prefix', async () => {
    for (const entry of sealable()) {
      const original = await readFile(entry.path);
      const { plan, sealed } = await sealForTest(original);
      assert.equal(plan.originalSize, original.byteLength, entry.name);
      assert.equal(plan.totalSize, sealed.byteLength, entry.name);
      assert.ok(sealed.subarray(0, original.byteLength).equals(original), entry.name);
    }
  });

  test('the byte range covers everything but the /Contents hex string, brackets included', async () => {
    for (const entry of sealable()) {
      const { plan, sealed } = await sealForTest(await readFile(entry.path));
      const [start, contentsStart, contentsEnd, tailLength] = plan.byteRange;
      assert.equal(start, 0, entry.name);
      assert.equal(contentsEnd + tailLength, sealed.byteLength, entry.name);
      const gap = sealed.subarray(contentsStart, contentsEnd).toString('latin1');
      assert.match(gap, /^<[0-9A-F]+>$/, entry.name);
      assert.equal(gap.length, plan.contentsPlaceholderBytes * 2 + 2, entry.name);
      assert.equal(
        sealed.subarray(contentsStart - 10, contentsStart).toString('latin1'),
        '/Contents ',
        entry.name,
      );

      const { byteRanges } = await readSignatureFields(sealed);
      assert.deepEqual(byteRanges.at(-1), [...plan.byteRange], entry.name);
    }
  });

  test('the digest is the SHA-256 of the signed ranges, whether fed whole or in chunks', async () => {
    for (const entry of sealable()) {
      const { plan, digest, sealed } = await sealForTest(await readFile(entry.path));
      const expected = createHash('sha256').update(signedBytes(sealed, plan.byteRange)).digest();
      assert.ok(digest.equals(expected), entry.name);

      const unsigned = Buffer.concat([sealed.subarray(0, plan.originalSize), plan.update]);
      const chunks = [];
      for (let offset = 0; offset < unsigned.byteLength; offset += 777) {
        chunks.push(unsigned.subarray(offset, offset + 777));
      }
      assert.ok((await digestByteRanges(chunks, plan)).equals(expected), entry.name);
    }
  });

  test('qpdf --check finds no problem in any file sealed once or twice', async (t) => {
    if (!(await requireTool(t, 'qpdf'))) return;
    for (const entry of sealable()) {
      const once = await sealForTest(await readFile(entry.path));
      await assertQpdfCheckPasses(once.sealed, `${entry.name}-sealed.pdf`);
      const twice = await sealForTest(once.sealed);
      await assertQpdfCheckPasses(twice.sealed, `${entry.name}-sealed-twice.pdf`);
    }
  });

  test('a reader finds the signature field in /Fields and its widget on page 1', async () => {
    for (const entry of sealable()) {
      const { plan, sealed } = await sealForTest(await readFile(entry.path));
      const seen = await readSignatureFields(sealed);
      assert.equal(plan.fieldName, 'Seal1', entry.name);
      assert.deepEqual(seen.names, ['Seal1'], entry.name);
      assert.deepEqual(seen.namesOnPage1, ['Seal1'], entry.name);
      assert.equal(seen.sigFlags, 3, entry.name);
      assert.equal(seen.pageCount, entry.pages, entry.name);
    }
  });

  test('the new xref section is of the same kind as the original newest one', async () => {
    for (const entry of sealable()) {
      const { plan } = await sealForTest(await readFile(entry.path));
      assert.equal(plan.sourceXref, entry.xref, entry.name);
      const update = plan.update.toString('latin1');
      if (entry.xref === 'stream') {
        assert.match(update, /\/Type \/XRef /, entry.name);
        assert.doesNotMatch(update, /\nxref\n/, entry.name);
      } else {
        assert.match(update, /\nxref\n[\s\S]*\ntrailer\n<< \/Size \d+ \/Root \d+ 0 R /, entry.name);
      }
      assert.match(update, /\nstartxref\n\d+\n%%EOF\n$/, entry.name);
    }
  });

  test('a second seal of a sealed file works and keeps every revision', async () => {
    for (const entry of sealable()) {
      const original = await readFile(entry.path);
      const first = await sealForTest(original);
      const second = await sealForTest(first.sealed);
      const firstIsPrefix = second.sealed.subarray(0, first.sealed.byteLength).equals(first.sealed);
      assert.ok(firstIsPrefix, entry.name);
      assert.equal(countEofMarkers(second.sealed), countEofMarkers(original) + 2, entry.name);
      assert.equal(second.plan.fieldName, 'Seal2', entry.name);
      const seen = await readSignatureFields(second.sealed);
      assert.deepEqual(seen.names, ['Seal1', 'Seal2'], entry.name);
      assert.deepEqual(seen.namesOnPage1, ['Seal1', 'Seal2'], entry.name);
      const ranges = [[...first.plan.byteRange], [...second.plan.byteRange]];
      assert.deepEqual(seen.byteRanges, ranges, entry.name);
    }
  });

  test('a single-revision file sealed twice has three revisions', async () => {
    const once = await sealForTest(await readFile(corpus.get('classic').path));
    const twice = await sealForTest(once.sealed);
    assert.equal(countEofMarkers(twice.sealed), 3);
  });

  test('a field name that is taken gets the next free suffix', async () => {
    const { plan, sealed } = await sealForTest(await readFile(corpus.get('acroform').path), {
      fieldName: 'Name',
    });
    assert.equal(plan.fieldName, 'Name2');
    assert.deepEqual((await readSignatureFields(sealed)).names, ['Name2']);
  });

  test('an existing AcroForm keeps its fields, whether /Fields and /Annots are direct or indirect', async () => {
    for (const name of ['acroform', 'acroform-indirect-arrays']) {
      const { sealed, plan } = await sealForTest(await readFile(corpus.get(name).path));
      const update = plan.update.toString('latin1');
      const doc = await PDFDocument.load(sealed, { updateMetadata: false });
      assert.deepEqual(
        doc
          .getForm()
          .getFields()
          .map((field) => field.getName()),
        ['Name', 'Seal1'],
        name,
      );
      assert.equal(doc.getPage(0).node.Annots()?.size(), 2, name);
      if (name === 'acroform-indirect-arrays') {
        // Only the two arrays and the AcroForm (for /SigFlags) are rewritten.
        assert.doesNotMatch(update, /\/Type \/Page\b/, name);
        assert.doesNotMatch(update, /\/Type \/Catalog/, name);
      }
    }
  });

  test('the signature dictionary carries the options given', async () => {
    const original = await readFile(corpus.get('classic').path);
    const { plan } = await sealForTest(original, {
      subFilter: 'ETSI.CAdES.detached',
      reason: 'Approved (final)',
      location: 'Zürich',
      contactInfo: 'seal@example.com',
      timestamp: true,
    });
    const update = plan.update.toString('latin1');
    assert.match(
      update,
      /<< \/Type \/Sig \/Filter \/Adobe\.PPKLite \/SubFilter \/ETSI\.CAdES\.detached \/M \(D:20240102030405Z\) /,
    );
    assert.match(update, / \/Reason \(Approved \\\(final\\\)\) /);
    assert.match(update, / \/Location <FEFF005A00FC0072006900630068> /);
    assert.match(update, / \/ContactInfo \(seal@example\.com\) /);
    assert.equal(plan.contentsPlaceholderBytes, 32768);
  });

  test('an update starts on a new line only when the original does not end with one', async () => {
    const classic = await readFile(corpus.get('classic').path);
    assert.equal(classic.toString('latin1', classic.byteLength - 5), '%%EOF');
    const { plan } = await sealForTest(classic);
    assert.match(plan.update.toString('latin1', 0, 20), /^\n\d+ 0 obj\n/);

    const incremental = await readFile(corpus.get('incremental').path);
    assert.equal(incremental.toString('latin1', incremental.byteLength - 6), '%%EOF\n');
    const next = await sealForTest(incremental);
    assert.match(next.plan.update.toString('latin1', 0, 20), /^\d+ 0 obj\n/);
  });

  test('offsets count from the header when junk precedes it', async () => {
    const { plan } = await sealForTest(await readFile(corpus.get('junk-prefix').path));
    const update = plan.update.toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(update)?.[1]);
    assert.equal(update.indexOf('\nxref\n') + 1 + plan.originalSize - 512, startxref);
  });

  test('the trailer keeps the first /ID element and /Info, and points /Prev at the last section', async () => {
    const original = await readFile(corpus.get('hybrid').path);
    const lastStartxref = /startxref\n(\d+)\n%%EOF\n$/.exec(original.toString('latin1'))?.[1];
    const { plan } = await sealForTest(original);
    const trailer = /trailer\n(<<.*>>)\n/.exec(plan.update.toString('latin1'))?.[1] ?? '';
    assert.match(
      trailer,
      /^<< \/Size 13 \/Root 1 0 R \/Info 8 0 R \/ID \[<6879627269642D7265666572656E6365> <[0-9A-F]{32}>\] /,
    );
    assert.match(trailer, new RegExp(`/Prev ${lastStartxref} >>$`));
  });

  test('the same document and options always give the same plan', async () => {
    const original = await readFile(corpus.get('xref-stream-pdf-lib').path);
    const first = await sealForTest(original);
    const second = await sealForTest(original);
    assert.ok(first.plan.update.equals(second.plan.update));
  });
});
