import { IncompleteRequestError } from './errors.js';

/** A request body as the chunks it arrived in. */
export interface BodyChunks {
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
}

/**
 * Reads a request body of at most `limit` bytes, keeping the chunks it arrives in rather than
 * copying them into one buffer. A larger body is refused as {@link limitBody} says, so an
 * oversized upload is never buffered whole. `onChunk` sees each chunk as it arrives (to hash the
 * body while it is received).
 */
export async function readBodyWithin(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  limit: number,
  tooLarge: (declaredLength?: number) => Error,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<BodyChunks> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of limitBody(body, declaredLength, limit, tooLarge)) {
    chunks.push(chunk);
    size += chunk.byteLength;
    onChunk?.(chunk);
  }
  return { chunks, size };
}

/**
 * A request body's chunks as they arrive, refused with the error `tooLarge` makes as soon as its
 * declared length or the bytes received so far pass `limit`; a body that ends before its declared
 * length, or breaks off, is an IncompleteRequestError.
 */
export async function* limitBody(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  limit: number,
  tooLarge: (declaredLength?: number) => Error,
): AsyncGenerator<Uint8Array> {
  if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(declaredLength);
  let size = 0;
  if (body) {
    const iterator = body[Symbol.asyncIterator]();
    let ended = false;
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch {
          ended = true;
          throw new IncompleteRequestError();
        }
        if (next.done) break;
        size += next.value.byteLength;
        if (size > limit) throw tooLarge();
        yield next.value;
      }
      ended = true;
    } finally {
      // Stopped early, by a refusal here or by the reader: the rest of the body is not wanted.
      if (!ended) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
  if (declaredLength !== undefined && size !== declaredLength) throw new IncompleteRequestError();
}
