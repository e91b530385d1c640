import { ByteRangeHasher } from './ByteRangeHasher.js';
import { DigestInputMismatchError } from './errors/DigestInputMismatchError.js';
import type { SealPlan } from './SealPlan.js';

/**
 * The SHA-256 digest the signing service signs: one streamed pass over the sealed document (the
 * original's bytes, then `plan.update`), skipping the `/Contents` gap. Nothing is concatenated
 * or copied, so memory stays flat whatever the document's size.
 *
 * @param chunks the sealed document's bytes in order, in chunks of any size
 * @throws DigestInputMismatchError when the chunks do not add up to `plan.totalSize`
 */
export async function digestByteRanges(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  plan: SealPlan,
): Promise<Buffer> {
  const hasher = new ByteRangeHasher(plan);
  for await (const chunk of chunks) hasher.update(chunk);
  return hasher.digest();
}

/**
 * {@link digestByteRanges} for direct mode, where the original is in memory: hashes `original`,
 * then the update around the gap.
 *
 * @throws DigestInputMismatchError when `original` is not the size the plan was made for
 */
export function digestOriginalAndUpdate(original: Uint8Array, plan: SealPlan): Buffer {
  if (original.byteLength !== plan.originalSize) {
    throw new DigestInputMismatchError('original document', plan.originalSize, original.byteLength);
  }
  const hasher = new ByteRangeHasher(plan);
  hasher.update(original);
  hasher.update(plan.update);
  return hasher.digest();
}
