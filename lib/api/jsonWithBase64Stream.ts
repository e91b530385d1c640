/**
 * A JSON object streamed as bytes: `{"<field>":"<base64 of parts>", ...rest}`. The parts are
 * encoded chunk by chunk, so a 50 MB document is never copied into one buffer or one string.
 */
export function jsonWithBase64Stream(
  field: string,
  parts: readonly Uint8Array[],
  rest: Record<string, unknown>,
): ReadableStream<Uint8Array> {
  const tail = JSON.stringify(rest).slice(1);
  return ReadableStream.from(
    (function* () {
      yield Buffer.from(`{${JSON.stringify(field)}:"`);
      yield* base64Chunks(parts);
      yield Buffer.from(tail === '}' ? '"}' : `",${tail}`);
    })(),
  );
}

const chunkBytes = 3 * 256 * 1024;

/** Base64 of the parts as if they were one buffer, in chunks whose sizes are multiples of 3. */
function* base64Chunks(parts: readonly Uint8Array[]): Generator<Buffer> {
  let carry = Buffer.alloc(0);
  for (const part of parts) {
    let offset = 0;
    if (carry.length > 0) {
      const needed = Math.min(3 - carry.length, part.byteLength);
      carry = Buffer.concat([carry, part.subarray(0, needed)]);
      offset = needed;
      if (carry.length < 3) continue;
      yield Buffer.from(carry.toString('base64'));
    }
    while (part.byteLength - offset >= 3) {
      const length = Math.min(
        chunkBytes,
        part.byteLength - offset - ((part.byteLength - offset) % 3),
      );
      const view = Buffer.from(part.buffer, part.byteOffset + offset, length);
      yield Buffer.from(view.toString('base64'));
      offset += length;
    }
    carry = Buffer.from(part.subarray(offset));
  }
  if (carry.length > 0) yield Buffer.from(carry.toString('base64'));
}
