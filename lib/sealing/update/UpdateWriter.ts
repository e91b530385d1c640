import type { PDFRef } from 'pdf-lib';

/** Where one object of the update starts, for its xref entry. */
export interface WrittenObject {
  readonly objectNumber: number;
  readonly generation: number;
  /** Offset as xref entries count it: from the `%PDF-` header. */
  readonly offset: number;
}

/** Collects the bytes of an incremental update and where each object lands. */
export class UpdateWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private readonly written: WrittenObject[] = [];

  /**
   * @param originalSize where the update starts in the sealed document
   * @param headerOffset bytes before `%PDF-` that xref offsets do not count
   */
  constructor(
    private readonly originalSize: number,
    readonly headerOffset: number,
  ) {}

  /** The offset in the sealed document where the next byte goes. */
  get position(): number {
    return this.originalSize + this.length;
  }

  /** The objects written so far, in order. */
  get objects(): readonly WrittenObject[] {
    return this.written;
  }

  /** Appends text, one byte per character (latin1, as pdf-lib's objects print themselves). */
  write(content: string | Uint8Array): void {
    const chunk =
      typeof content === 'string' ? Buffer.from(content, 'latin1') : Buffer.from(content);
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
  }

  /** Writes `N G obj` and records where the object starts. */
  beginObject(ref: PDFRef): void {
    this.written.push({
      objectNumber: ref.objectNumber,
      generation: ref.generationNumber,
      offset: this.position - this.headerOffset,
    });
    this.write(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
  }

  endObject(): void {
    this.write('\nendobj\n');
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}
