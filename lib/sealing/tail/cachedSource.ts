import type { PdfSource } from '../PdfSource.js';

/** Options for {@link cachedSource}. */
export interface CachedSourceOptions {
  /** Bytes per cached block; larger reads bypass the cache. @default 65536 */
  readonly blockSize?: number;
  /** Blocks kept; the least recently used one is dropped first. @default 32 */
  readonly maxBlocks?: number;
}

/**
 * Wraps a source so that small reads near each other share one ranged read. Planning reads a few
 * dozen small objects that usually sit close together; against blob storage each read is a
 * round trip, so this turns dozens of requests into a handful. Memory stays bounded by
 * `blockSize * maxBlocks`. The wrapped source is never asked for a byte past its end.
 */
export function cachedSource(source: PdfSource, options: CachedSourceOptions = {}): PdfSource {
  const { blockSize = 65536, maxBlocks = 32 } = options;
  const blocks = new Map<number, Promise<Uint8Array>>();

  const block = (index: number): Promise<Uint8Array> => {
    const cached = blocks.get(index);
    if (cached) {
      // Re-inserting moves the block to the young end of the Map's insertion order.
      blocks.delete(index);
      blocks.set(index, cached);
      return cached;
    }
    const start = index * blockSize;
    const loading = source.read(start, Math.min(blockSize, source.size - start));
    // A failed read must not stay cached: the next caller retries it.
    void loading.catch(() => {
      if (blocks.get(index) === loading) blocks.delete(index);
    });
    blocks.set(index, loading);
    if (blocks.size > maxBlocks) {
      const oldest = blocks.keys().next();
      if (!oldest.done) blocks.delete(oldest.value);
    }
    return loading;
  };

  const read = async (position: number, length: number): Promise<Uint8Array> => {
    const end = Math.min(position + length, source.size);
    // The source is never asked for bytes past its end (a blob store answers those with errors).
    if (end <= position) return new Uint8Array(0);
    if (length > blockSize) return source.read(position, end - position);
    const first = Math.floor(position / blockSize);
    const last = Math.floor((end - 1) / blockSize);
    const head = await block(first);
    if (first === last) return head.subarray(position - first * blockSize, end - first * blockSize);
    const tail = await block(last);
    const joined = new Uint8Array(end - position);
    joined.set(head.subarray(position - first * blockSize));
    joined.set(
      tail.subarray(0, end - last * blockSize),
      head.byteLength - (position - first * blockSize),
    );
    return joined;
  };

  return { size: source.size, read };
}
