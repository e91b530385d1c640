/**
 * Builds a PDF file by hand, object by object, keeping each object's offset for the xref. Used
 * for structures no library writes (hybrid-reference files, hand-appended updates).
 */
export class PdfBuilder {
  private readonly chunks: Buffer[] = [];
  private length: number;
  /** Offsets of the objects written, by object number. */
  readonly offsets = new Map<number, number>();

  /** @param start the offset the first byte written will have (the size of what precedes) */
  constructor(start = 0) {
    this.length = start;
  }

  get position(): number {
    return this.length;
  }

  write(content: string | Buffer): this {
    const chunk = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
    return this;
  }

  object(objectNumber: number, body: string): this {
    this.offsets.set(objectNumber, this.position);
    return this.write(`${objectNumber} 0 obj\n${body}\nendobj\n`);
  }

  stream(objectNumber: number, dict: string, data: Buffer): this {
    this.offsets.set(objectNumber, this.position);
    this.write(`${objectNumber} 0 obj\n<< ${dict} /Length ${data.byteLength} >>\nstream\n`);
    return this.write(data).write('\nendstream\nendobj\n');
  }

  /**
   * Writes a classic xref table over `objectNumbers` (which must have been written), in runs of
   * consecutive numbers, and returns its offset. `free` numbers are listed as free entries with
   * generation 65535, never to be reused; with no numbers at all, the table is `0 0`.
   */
  xrefTable(objectNumbers: readonly number[], free: readonly number[] = []): number {
    const start = this.position;
    const numbers = [...objectNumbers, ...free].sort((a, b) => a - b);
    let text = numbers.length === 0 ? 'xref\n0 0\n' : 'xref\n';
    for (let i = 0; i < numbers.length;) {
      let end = i;
      while (numbers[end + 1] === (numbers[end] ?? 0) + 1) end += 1;
      text += `${numbers[i]} ${end - i + 1}\n`;
      for (let j = i; j <= end; j += 1) {
        const number = numbers[j] ?? 0;
        const offset = this.offsets.get(number);
        text +=
          offset === undefined || free.includes(number)
            ? '0000000000 65535 f\r\n'
            : `${String(offset).padStart(10, '0')} 00000 n\r\n`;
      }
      i = end + 1;
    }
    this.write(text);
    return start;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
