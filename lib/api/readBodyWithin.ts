import { IncompleteRequestError } from './errors.js';

/** A request body as the chunks it arrived in. */
export interface BodyChunks {
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
}

/**
 * Reads a request body of at most `limit` bytes, keeping the chunks it arrives in rather than
 * copying them into one buffer. A larger body is refused with the error `tooLarge` makes as soon as
 * its declared length or the bytes received so far show it, so an oversized upload is never
 * buffered whole. `onChunk` sees each chunk as it arrives (to hash the body while it is received).
 */
export async function readBodyWithin(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  limit: number,
  tooLarge: (declaredLength?: number) => Error,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<BodyChunks> {
  if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(declaredLength);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!body) return { chunks, size };
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } catch {
      throw new IncompleteRequestError();
    }
    if (next.done) break;
    const chunk = next.value;
    if (size + chunk.byteLength > limit) {
      await iterator.return?.();
      throw tooLarge();
    }
    chunks.push(chunk);
    size += chunk.byteLength;
    onChunk?.(chunk);
  }
  if (declaredLength !== undefined && size !== declaredLength) throw new IncompleteRequestError();
  return { chunks, size };
}
