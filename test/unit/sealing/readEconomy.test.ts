import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { PdfSource } from '../../../lib/sealing/PdfSource.js';
import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';
import { writeLargePdf } from '../../support/pdfCorpus.js';
import { signingTime } from './sealingHarness.js';

// Counts what is read, as a blob-backed source would be billed for it, and checks that no read
// reaches past the end (a blob store answers those with errors).
function countingSource(inner: PdfSource): { source: PdfSource; reads: number; bytesRead: number } {
  const counter = {
    reads: 0,
    bytesRead: 0,
    source: {
      size: inner.size,
      read: async (position: number, length: number) => {
        assert.ok(position + length <= inner.size, `read ${length} bytes at ${position}`);
        counter.reads += 1;
        counter.bytesRead += length;
        return inner.read(position, length);
      },
    },
  };
  return counter;
}

// A document of `fillerBytes` spaces inside one content stream, between a small head and tail,
// whose middle is never stored: reads there are made up on the fly.
function virtualPdf(fillerBytes: number): PdfSource {
  const head = Buffer.from(
    '%PDF-1.4\n' +
      '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n' +
      `4 0 obj\n<< /Length ${fillerBytes} >>\nstream\n`,
    'latin1',
  );
  const offsets = [...head.toString('latin1').matchAll(/\d+ 0 obj/g)].map((match) => match.index);
  const xref = head.byteLength + fillerBytes + '\nendstream\nendobj\n'.length;
  const tail = Buffer.from(
    '\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n' +
      offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('') +
      `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    'latin1',
  );
  const size = head.byteLength + fillerBytes + tail.byteLength;
  const byteAt = (position: number): number => {
    if (position < head.byteLength) return head[position] ?? 0;
    const inTail = position - head.byteLength - fillerBytes;
    return inTail >= 0 ? (tail[inTail] ?? 0) : 0x20;
  };
  return {
    size,
    read: (position, length) => {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = byteAt(position + i);
      return Promise.resolve(bytes);
    },
  };
}

test('planning a 10 MB seal reads a few ranges at the head and tail, not the file', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'sealops-economy-'));
  try {
    const large = await writeLargePdf(join(directory, 'large.pdf'), 10);
    const counter = countingSource(bufferSource(await readFile(large.path)));
    const plan = await planIncrementalSeal(counter.source, { signingTime });
    assert.equal(plan.originalSize, large.bytes);
    assert.ok(counter.bytesRead < large.bytes / 20, `read ${counter.bytesRead} of ${large.bytes}`);
    assert.ok(counter.reads <= 8, `made ${counter.reads} reads`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('a 6 GB document is planned from a few reads, with offsets past 4 GiB written whole', async () => {
  const counter = countingSource(virtualPdf(6_000_000_000));
  const plan = await planIncrementalSeal(counter.source, { signingTime });
  assert.ok(counter.bytesRead < 512 * 1024, `read ${counter.bytesRead} bytes`);

  const update = plan.update.toString('latin1');
  const signatureOffset = String(plan.originalSize).padStart(10, '0');
  assert.match(
    update,
    new RegExp(
      `\\nxref\\n1 1\\n\\d{10} 00000 n\\r\\n3 1\\n\\d{10} 00000 n\\r\\n5 2\\n${signatureOffset} 00000 n\\r\\n`,
    ),
  );
  const byteRange = /\/ByteRange \[([^\]]*)\]/.exec(update)?.[1] ?? '';
  assert.equal(byteRange.trim(), plan.byteRange.join(' '));
  assert.equal(plan.byteRange[1], plan.originalSize + update.indexOf('/Contents <') + 10);
});
