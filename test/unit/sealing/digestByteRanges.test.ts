import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';

import { ByteRangeHasher } from '../../../lib/sealing/ByteRangeHasher.js';
import { digestByteRanges } from '../../../lib/sealing/digestByteRanges.js';

const document = randomBytes(100);
const plan = { byteRange: [0, 40, 60, 40] as const, totalSize: 100 };
const expected = createHash('sha256')
  .update(Buffer.concat([document.subarray(0, 40), document.subarray(60)]))
  .digest();

function cut(sizes: readonly number[]): Buffer[] {
  let offset = 0;
  return sizes.map((size) => document.subarray(offset, (offset += size)));
}

test('the gap is skipped wherever the chunks start and end', () => {
  const cuttings = [
    [100],
    [40, 20, 40],
    [39, 22, 39],
    [45, 10, 45],
    [10, 70, 20],
    Array(100).fill(1),
  ];
  for (const sizes of cuttings) {
    const hasher = new ByteRangeHasher(plan);
    for (const chunk of cut(sizes)) hasher.update(chunk);
    assert.ok(hasher.digest().equals(expected), `chunks of ${sizes.join(', ')}`);
  }
});

test('a readable stream of chunks gives the same digest', async () => {
  const sealPlan = {
    ...plan,
    update: Buffer.alloc(0),
    originalSize: 100,
    contentsPlaceholderBytes: 10,
    fieldName: 'Seal1',
    sourceXref: 'table' as const,
  };
  assert.ok((await digestByteRanges(Readable.from(cut([33, 33, 34])), sealPlan)).equals(expected));
});

test('too many bytes are DIGEST_INPUT_MISMATCH', () => {
  const hasher = new ByteRangeHasher(plan);
  hasher.update(document);
  hasher.update(Buffer.from('x'));
  assert.throws(() => hasher.digest(), {
    code: 'DIGEST_INPUT_MISMATCH',
    message:
      'The sealed document handed to the digest is 101 bytes where the seal plan expects 100; plan the seal again over the current document.',
  });
});
