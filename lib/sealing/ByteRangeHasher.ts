import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';

import { DigestInputMismatchError } from './errors/DigestInputMismatchError.js';
import type { SealPlan } from './SealPlan.js';

/**
 * SHA-256 over the signed byte ranges of a sealed document, fed its bytes in order, in chunks of
 * any size. The `/Contents` gap is skipped by hashing views around it: no byte is copied.
 */
export class ByteRangeHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly gapStart: number;
  private readonly gapEnd: number;
  private position = 0;

  constructor(private readonly plan: Pick<SealPlan, 'byteRange' | 'totalSize'>) {
    const [, gapStart, gapEnd] = plan.byteRange;
    this.gapStart = gapStart;
    this.gapEnd = gapEnd;
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
    if (this.position !== this.plan.totalSize) {
      throw new DigestInputMismatchError('sealed document', this.plan.totalSize, this.position);
    }
    return this.hash.digest();
  }
}
