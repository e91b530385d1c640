import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockIdSequence } from '../../../lib/azure/BlockIdSequence.js';
import { stageInBlocks } from '../../../lib/azure/stageInBlocks.js';

async function* chunksOf(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    await Promise.resolve();
    yield bytes.subarray(offset, offset + size);
  }
}

describe('stageInBlocks', () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  it('cuts a stream of any chunking into numbered blocks that add up to it', async () => {
    const staged: Buffer[] = [];
    const tapped: Uint8Array[] = [];
    const total = await stageInBlocks(
      chunksOf(bytes, 37),
      (block, index) => {
        staged[index] = Buffer.from(block);
        return Promise.resolve();
      },
      { blockSize: 128, concurrency: 3, tap: (chunk) => tapped.push(chunk) },
    );
    assert.equal(total, 1000);
    assert.deepEqual(
      staged.map((block) => block.length),
      [128, 128, 128, 128, 128, 128, 128, 104],
    );
    assert.ok(Buffer.concat(staged).equals(bytes));
    assert.ok(Buffer.concat(tapped).equals(bytes), 'the tap saw every byte once, in order');
  });

  it('never has more stagings in flight than its concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    await stageInBlocks(
      chunksOf(bytes, 50),
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
      },
      { blockSize: 100, concurrency: 2 },
    );
    assert.equal(most, 2);
  });

  it('stops reading at the first failed staging and waits for the others before throwing it', async () => {
    let read = 0;
    let started = 0;
    let settled = 0;
    async function* counted(): AsyncIterable<Uint8Array> {
      for await (const chunk of chunksOf(bytes, 100)) {
        read += 1;
        yield chunk;
      }
    }
    await assert.rejects(
      stageInBlocks(
        counted(),
        async (_block, index) => {
          started += 1;
          await new Promise((resolve) => setTimeout(resolve, index === 1 ? 1 : 20));
          settled += 1;
          if (index === 1) throw new Error('block 1 refused');
        },
        { blockSize: 100, concurrency: 2 },
      ),
      { message: 'block 1 refused' },
    );
    assert.ok(read < 10, `read ${read} of 10 chunks`);
    assert.equal(settled, started, 'nothing left running');
  });

  it('passes on a failure of the stream itself', async () => {
    async function* broken(): AsyncIterable<Uint8Array> {
      yield bytes.subarray(0, 10);
      await Promise.resolve();
      throw new Error('connection reset');
    }
    await assert.rejects(
      stageInBlocks(broken(), () => Promise.resolve(), { blockSize: 4, concurrency: 2 }),
      {
        message: 'connection reset',
      },
    );
  });
});

describe('BlockIdSequence', () => {
  it('makes IDs of one length, unique to the sequence and counting up', () => {
    const first = new BlockIdSequence();
    const second = new BlockIdSequence();
    const [a, b] = [first.next(), first.next()];
    assert.equal(Buffer.from(a, 'base64').length, 20);
    assert.notEqual(a, b);
    assert.equal(Buffer.from(b, 'base64').readUInt32BE(16), 1);
    assert.notEqual(second.next(), a, 'another writer has another prefix');
  });

  it('takes the length of the IDs a blob already has, where it can', () => {
    const existing = Buffer.alloc(48, 7).toString('base64');
    assert.equal(Buffer.from(BlockIdSequence.matching(existing).next(), 'base64').length, 48);
    const tiny = Buffer.alloc(4, 7).toString('base64');
    assert.equal(Buffer.from(BlockIdSequence.matching(tiny).next(), 'base64').length, 20);
    assert.equal(Buffer.from(BlockIdSequence.matching(undefined).next(), 'base64').length, 20);
  });
});
