import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ByteRangeHasher } from '../../../lib/sealing/ByteRangeHasher.js';
import { DigestInputMismatchError } from '../../../lib/sealing/errors/DigestInputMismatchError.js';
import { chunkSource } from '../../../lib/sealing/PdfSource.js';

describe('chunkSource', () => {
  const whole = randomBytes(1000);
  const chunks = [
    whole.subarray(0, 10),
    whole.subarray(10, 11),
    whole.subarray(11, 600),
    whole.subarray(600),
  ];
  const source = chunkSource(chunks);

  it('reads any range as the bytes of the joined chunks', async () => {
    assert.equal(source.size, 1000);
    for (const [position, length] of [
      [0, 10],
      [5, 10],
      [9, 3],
      [10, 1],
      [0, 1000],
      [599, 2],
      [990, 50],
    ] as const) {
      const read = Buffer.from(await source.read(position, length));
      assert.ok(read.equals(whole.subarray(position, position + length)), `${position}+${length}`);
    }
  });

  it('returns a view, not a copy, for a read inside one chunk', async () => {
    const read = await source.read(20, 100);
    assert.equal(read.buffer, whole.buffer);
  });
});

describe('ByteRangeHasher given its plan late', () => {
  it('refuses a plan whose gap starts before the bytes already hashed', () => {
    const hasher = new ByteRangeHasher();
    hasher.update(new Uint8Array(100));
    assert.throws(
      () => hasher.withPlan({ byteRange: [0, 50, 60, 40], totalSize: 100 }),
      (error: unknown) => error instanceof DigestInputMismatchError,
    );
  });

  it('gives the same digest as a hasher that had the plan from the start', () => {
    const document = randomBytes(300);
    const plan = { byteRange: [0, 200, 250, 50] as const, totalSize: 300 };
    const early = new ByteRangeHasher(plan);
    early.update(document);
    const late = new ByteRangeHasher();
    late.update(document.subarray(0, 120));
    late.withPlan(plan).update(document.subarray(120));
    assert.deepEqual(late.digest(), early.digest());
  });
});
