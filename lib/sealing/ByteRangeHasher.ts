import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';

import { DigestInputMismatchError } from './errors/DigestInputMismatchError.js';
import type { SealPlan } from './SealPlan.js';

type HashedPlan = Pick<SealPlan, 'byteRange' | 'totalSize'>;

/**
 * SHA-256 over the signed byte ranges of a sealed document, fed its bytes in order, in chunks of
 * any size. The `/Contents` gap is skipped by hashing views around it: no byte is copied.
 *
 * The plan may come later than the first bytes: the gap always lies in the update, so the
 * original can be hashed while it arrives (a request body, a blob being copied) and the plan
 * given with {@link ByteRangeHasher.withPlan} once it exists.
 */
export class ByteRangeHasher {
  private readonly hash: Hash = createHash('sha256');
  private plan: HashedPlan | undefined;
  private gapStart = Number.POSITIVE_INFINITY;
  private gapEnd = Number.POSITIVE_INFINITY;
  private position = 0;

  constructor(plan?: HashedPlan) {
    if (plan) this.withPlan(plan);
  }

  /** Bytes fed so far. */
  get bytesHashed(): number {
    return this.position;
  }

  /**
   * Gives the plan to a hasher that has been fed only original bytes so far.
   * @throws DigestInputMismatchError when more bytes were fed than come before the gap
   */
  withPlan(plan: HashedPlan): this {
    const [, gapStart, gapEnd] = plan.byteRange;
    if (this.position > gapStart) {
      throw new DigestInputMismatchError('original document', gapStart, this.position);
    }
    this.plan = plan;
    this.gapStart = gapStart;
    this.gapEnd = gapEnd;
    return this;
  }

  /** Feeds the next bytes of the sealed document (original, then update). */
  update(chunk: Uint8Array): void {
    const start = this.position;
    const end = start + chunk.byteLength;
    this.position = end;
    if (end <= this.gapStart || start >= this.gapEnd) {
      this.hash.update(chunk);
      return;
    }
    if (start < this.gapStart) this.hash.update(chunk.subarray(0, this.gapStart - start));
    if (end > this.gapEnd) this.hash.update(chunk.subarray(this.gapEnd - start));
  }

  /**
   * The 32-byte digest, once every byte has been fed.
   * @throws DigestInputMismatchError when more or fewer bytes than the plan's total were fed
   */
  digest(): Buffer {
    if (!this.plan) throw new Error('ByteRangeHasher.digest() needs the plan: call withPlan().');
    if (this.position !== this.plan.totalSize) {
      throw new DigestInputMismatchError('sealed document', this.plan.totalSize, this.position);
    }
    return this.hash.digest();
  }
}
