import { randomBytes } from 'node:crypto';

const defaultIdBytes = 20;

/**
 * Block IDs for one write: a random prefix, unique to the writer, then a 32-bit counter, so
 * that writers racing on the same blob never stage over each other's blocks.
 *
 * Azure requires every block ID of a blob to have the same length, committed ones included, so a
 * writer that replaces a blob staged by another tool takes the length of that blob's IDs.
 */
export class BlockIdSequence {
  readonly #prefix: Buffer;
  #next = 0;

  /** @param idBytes decoded length of each ID, 8 to 64. @default 20 */
  constructor(idBytes = defaultIdBytes) {
    if (!Number.isInteger(idBytes) || idBytes < 8 || idBytes > 64) {
      throw new RangeError(`A block ID must be 8 to 64 bytes long, not ${String(idBytes)}.`);
    }
    this.#prefix = randomBytes(idBytes - 4);
  }

  /**
   * A sequence whose IDs have the length of `existingId` (base64, as the service lists it), or
   * the default length when there is none or its length cannot hold a prefix and a counter.
   */
  static matching(existingId: string | undefined): BlockIdSequence {
    const length = existingId === undefined ? 0 : Buffer.from(existingId, 'base64').byteLength;
    return new BlockIdSequence(length >= 8 && length <= 64 ? length : defaultIdBytes);
  }

  next(): string {
    const id = Buffer.allocUnsafe(this.#prefix.byteLength + 4);
    this.#prefix.copy(id);
    id.writeUInt32BE(this.#next++, this.#prefix.byteLength);
    return id.toString('base64');
  }
}
