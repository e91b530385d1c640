/**
 * Random access to the bytes of a PDF that may be far larger than memory: a buffer in direct mode,
 * a blob read with ranged requests in storage mode.
 */
export interface PdfSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `position`; fewer only at the end of the source. */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A source over bytes already in memory; reads return views, never copies. */
export function bufferSource(bytes: Uint8Array): PdfSource {
  return {
    size: bytes.byteLength,
    read: (position, length) =>
      Promise.resolve(bytes.subarray(position, Math.min(position + length, bytes.byteLength))),
  };
}
