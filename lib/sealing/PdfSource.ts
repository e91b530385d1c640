/**
 * Random access to the bytes of a PDF that may be far larger than memory: a buffer or the chunks
 * of a request body in direct mode, a blob read with ranged requests in storage mode.
 */
export interface PdfSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `position`; fewer only at the end of the source. */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A source over bytes already in memory; reads return views, never copies. */
export function bufferSource(bytes: Uint8Array): PdfSource {
  return chunkSource([bytes]);
}

/**
 * A source over a document held as the chunks it arrived in (a request body), so it never has to
 * be copied into one buffer. A read inside one chunk is a view; a read across chunks is copied.
 */
export function chunkSource(chunks: readonly Uint8Array[]): PdfSource {
  const starts: number[] = [];
  let size = 0;
  for (const chunk of chunks) {
    starts.push(size);
    size += chunk.byteLength;
  }
  return {
    size,
    read: (position, length) => {
      const end = Math.min(position + length, size);
      let index = chunkAt(starts, position);
      const first = chunks[index];
      const firstStart = starts[index] ?? 0;
      if (!first || end - firstStart <= first.byteLength) {
        return Promise.resolve(
          first?.subarray(position - firstStart, end - firstStart) ?? new Uint8Array(),
        );
      }
      const out = new Uint8Array(end - position);
      for (let written = 0; written < out.byteLength; index++) {
        const chunk = chunks[index] ?? new Uint8Array();
        const from = position + written - (starts[index] ?? 0);
        const piece = chunk.subarray(from, from + out.byteLength - written);
        out.set(piece, written);
        written += piece.byteLength;
      }
      return Promise.resolve(out);
    },
  };
}

/** Index of the chunk holding `position`: the last start at or before it (binary search). */
function chunkAt(starts: readonly number[], position: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}
