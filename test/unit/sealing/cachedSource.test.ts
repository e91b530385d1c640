import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { cachedSource } from '../../../lib/sealing/tail/cachedSource.js';

test('small reads share cached blocks and return the same bytes as the source', async () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  const inner = bufferSource(bytes);
  const reads: [number, number][] = [];
  const cached = cachedSource(
    {
      size: inner.size,
      read: (position, length) => {
        reads.push([position, length]);
        return inner.read(position, length);
      },
    },
    { blockSize: 100, maxBlocks: 4 },
  );

  assert.deepEqual(await cached.read(10, 20), bytes.subarray(10, 30));
  assert.deepEqual(await cached.read(30, 20), bytes.subarray(30, 50));
  assert.deepEqual(await cached.read(190, 20), bytes.subarray(190, 210));
  assert.deepEqual(await cached.read(990, 50), bytes.subarray(990, 1000));
  assert.deepEqual(reads, [
    [0, 100],
    [100, 100],
    [200, 100],
    [900, 100],
  ]);

  assert.deepEqual(await cached.read(300, 500), bytes.subarray(300, 800));
  assert.deepEqual(reads.at(-1), [300, 500], 'reads larger than a block go straight through');
});
