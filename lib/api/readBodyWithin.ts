import { IncompleteRequestError } from './errors.js';

/**
 * Reads a request body of at most `limit` bytes into one buffer. A larger body is refused with the
 * error `tooLarge` makes as soon as its declared length or the bytes received so far show it, so an
 * oversized upload is never buffered whole.
 */
export async function readBodyWithin(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  limit: number,
  tooLarge: (declaredLength?: number) => Error,
): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > limit) throw tooLarge(declaredLength);
  if (!body) return Buffer.alloc(0);
  // With a declared length the body lands in one allocation; without one, chunks are joined once.
  const target = declaredLength === undefined ? undefined : Buffer.allocUnsafe(declaredLength);
  const chunks: Uint8Array[] = [];
  let received = 0;
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
    if (received + chunk.byteLength > (target?.length ?? limit)) {
      await iterator.return?.();
      throw tooLarge();
    }
    if (target) target.set(chunk, received);
    else chunks.push(chunk);
    received += chunk.byteLength;
  }
  if (target) {
    if (received !== target.length) throw new IncompleteRequestError();
    return target;
  }
  return Buffer.concat(chunks, received);
}
