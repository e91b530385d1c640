/** Options of {@link stageInBlocks}. */
export interface StageInBlocksOptions {
  /** Bytes per block; the last block may be shorter. */
  readonly blockSize: number;
  /** Blocks being staged at once; reading waits while this many are in flight. */
  readonly concurrency: number;
  /** Sees every chunk once, in order, before it is copied into a block. */
  readonly tap?: (chunk: Uint8Array) => void;
}

/**
 * Cuts a stream into blocks of `blockSize` and hands each to `stage`, with at most `concurrency`
 * stagings in flight. Blocks are cut and numbered in stream order; stagings may finish in any
 * order. Memory is bounded by `(concurrency + 1) * blockSize`: block buffers are reused, and the
 * stream is not read while every buffer is in flight.
 *
 * On the first failure (of the stream or of a staging) reading stops, the stream is released,
 * and the stagings still in flight are waited for before the failure is thrown, so nothing keeps
 * running after this returns.
 *
 * @param stage stages `bytes` as block number `index`; `bytes` is reused once it resolves
 * @returns the number of bytes read
 */
export async function stageInBlocks(
  chunks: AsyncIterable<Uint8Array>,
  stage: (bytes: Buffer, index: number) => Promise<void>,
  { blockSize, concurrency, tap }: StageInBlocksOptions,
): Promise<number> {
  const spare: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let index = 0;

  const send = async (buffer: Buffer, length: number): Promise<void> => {
    while (inFlight.size >= concurrency && !failure) await Promise.race(inFlight);
    if (failure) return;
    // Settles only after `buffer` may be reused; never rejects, so no rejection goes unhandled.
    const task: Promise<void> = stage(buffer.subarray(0, length), index++).then(
      () => {
        inFlight.delete(task);
        spare.push(buffer);
      },
      (error: unknown) => {
        inFlight.delete(task);
        failure ??= { error };
      },
    );
    inFlight.add(task);
  };

  let block: Buffer = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  let total = 0;
  try {
    for await (const chunk of chunks) {
      tap?.(chunk);
      total += chunk.byteLength;
      for (let offset = 0; offset < chunk.byteLength;) {
        const taken = Math.min(chunk.byteLength - offset, blockSize - filled);
        block.set(chunk.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
        if (filled === blockSize) {
          await send(block, filled);
          if (failure) break;
          block = spare.pop() ?? Buffer.allocUnsafe(blockSize);
          filled = 0;
        }
      }
      if (failure) break;
    }
    if (filled > 0 && !failure) await send(block, filled);
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return total;
}
