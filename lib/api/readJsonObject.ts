import { MalformedJsonError } from './errors.js';
import { readBodyWithin } from './readBodyWithin.js';

/**
 * Reads a JSON request body of at most `limit` bytes and parses it as one JSON object.
 * @throws MalformedJsonError when it is not JSON or not an object; `tooLarge()` when too large
 */
export async function readJsonObject(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  limit: number,
  tooLarge: () => Error,
): Promise<Record<string, unknown>> {
  const { chunks, size } = await readBodyWithin(body, declaredLength, limit, () => tooLarge());
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
  } catch {
    throw new MalformedJsonError();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedJsonError();
  }
  return parsed as Record<string, unknown>;
}
