import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { embedCms } from '../../../lib/sealing/embedCms.js';
import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';
import type { PdfCorpus } from '../../support/pdfCorpus.js';
import { makePdfCorpus } from '../../support/pdfCorpus.js';
import { signingTime } from './sealingHarness.js';

let corpus: PdfCorpus;

before(async () => {
  corpus = await makePdfCorpus();
});

after(async () => {
  await corpus.remove();
});

test('the CMS goes into /Contents as hex, zero-padded, and nothing else changes', async () => {
  const original = await readFile(corpus.get('classic').path);
  const plan = await planIncrementalSeal(bufferSource(original), { signingTime });
  const before = Buffer.from(plan.update);
  const update = embedCms(plan, Buffer.from([0x30, 0x82, 0x01, 0xab]));

  const start = plan.byteRange[1] - plan.originalSize;
  const end = plan.byteRange[2] - plan.originalSize;
  const hex = update.toString('latin1', start, end);
  assert.equal(hex, `<308201AB${'0'.repeat(plan.contentsPlaceholderBytes * 2 - 8)}>`);
  assert.ok(update.subarray(0, start).equals(plan.update.subarray(0, start)));
  assert.ok(update.subarray(end).equals(plan.update.subarray(end)));
  assert.ok(plan.update.equals(before), 'the plan is left as it was');
});
