import type { PDFObject } from 'pdf-lib';
import { PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import { decodeStreamData } from './decodeStreamData.js';
import type { PdfFile } from './PdfFile.js';
import { SliceReader, SliceTooShort, SyntaxProblem } from './SliceReader.js';
import type { XrefEntry, XrefSection } from './XrefSection.js';
import { findXrefEntry } from './XrefSection.js';

/** How a file's newest cross-reference section is written. */
export type XrefKind = 'table' | 'hybrid' | 'stream';

interface ObjectStream {
  readonly data: Uint8Array;
  readonly first: number;
  readonly numbers: readonly number[];
  readonly offsets: readonly number[];
}

type UsedXrefEntry = Exclude<XrefEntry, { kind: 'free' }>;

const maxCachedObjectStreams = 8;

/**
 * What the end of a PDF says about it: the xref chain from the newest section back, the trailer,
 * and the objects those reach, each read on demand. Objects are memoised, so an object read twice
 * is the same instance and changes made to it for an update accumulate.
 */
export class PdfTail {
  private readonly objects = new Map<number, Promise<PDFObject>>();
  private readonly objectStreams = new Map<number, Promise<ObjectStream>>();

  /**
   * @param sections newest first, as the `/Prev` chain goes
   * @param startxref the offset the file's last `startxref` gives
   * @param endsWithEndOfLine whether the file's last byte is CR or LF
   */
  constructor(
    readonly file: PdfFile,
    readonly sections: readonly XrefSection[],
    readonly startxref: number,
    readonly endsWithEndOfLine: boolean,
  ) {}

  /** How the newest xref section is written. */
  get xrefKind(): XrefKind {
    const newest = this.sections[0];
    if (newest?.kind === 'stream') return 'stream';
    return newest?.hybridStream ? 'hybrid' : 'table';
  }

  /**
   * One more than the highest object number in use: the first free number for new objects. The
   * trailers' /Size should say it, but the sections themselves are believed over a /Size too small.
   */
  get size(): number {
    let size = 0;
    for (const section of this.sections) {
      for (const part of section.hybridStream ? [section, section.hybridStream] : [section]) {
        const declared = part.trailer.get(PDFName.of('Size'));
        if (declared instanceof PDFNumber) size = Math.max(size, declared.asNumber());
        for (const subsection of part.subsections) {
          size = Math.max(size, subsection.first + subsection.count);
        }
      }
    }
    return size;
  }

  /** The first value the trailers give for `key`, newest first. */
  trailerValue(key: string): PDFObject | undefined {
    for (const section of this.sections) {
      const value = section.trailer.get(PDFName.of(key));
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** Where object `objectNumber` is, as the newest section that mentions it says. */
  entry(objectNumber: number): XrefEntry | undefined {
    for (const section of this.sections) {
      const entry = findXrefEntry(section, objectNumber);
      if (entry && entry.kind !== 'free') return entry;
      // A table with /XRefStm is searched, then its stream, before older sections (ISO 32000-1,
      // 7.5.8.4). A free entry in the table does not hide the stream's entry: hybrid writers
      // list objects they moved into object streams as free for PDF 1.4 readers.
      const hybridEntry = section.hybridStream && findXrefEntry(section.hybridStream, objectNumber);
      if (hybridEntry && hybridEntry.kind !== 'free') return hybridEntry;
      if (entry ?? hybridEntry) return { kind: 'free' };
    }
    return undefined;
  }

  /** `value` itself, or the object it refers to; a missing or free object is `undefined`. */
  async resolve(value: PDFObject | undefined): Promise<PDFObject | undefined> {
    return value instanceof PDFRef ? this.lookup(value) : value;
  }

  /**
   * The object `ref` refers to, or `undefined` if it is free or missing (a null object).
   *
   * NOTE: the reference's generation is not compared with the entry's. The spec makes a
   * mismatched reference null; being lenient instead can only matter in a file that reuses object
   * numbers, and the object header is still checked against the number.
   */
  async lookup(ref: PDFRef): Promise<PDFObject | undefined> {
    const entry = this.entry(ref.objectNumber);
    if (entry === undefined || entry.kind === 'free') return undefined;
    let object = this.objects.get(ref.objectNumber);
    if (!object) {
      object = this.load(ref.objectNumber, entry);
      this.objects.set(ref.objectNumber, object);
    }
    return object;
  }

  private async load(objectNumber: number, entry: UsedXrefEntry): Promise<PDFObject> {
    if (entry.kind === 'offset') {
      return (await this.file.readIndirectObject(entry.offset, objectNumber)).value;
    }
    const stream = await this.objectStream(entry.streamNumber);
    const offset = stream.offsets[entry.index];
    if (stream.numbers[entry.index] !== objectNumber || offset === undefined) {
      throw new DamagedPdfError(
        `object stream ${entry.streamNumber} holds no object ${objectNumber} at index ${entry.index}`,
      );
    }
    return this.parseDecoded(
      stream.data,
      stream.first + offset,
      `object ${objectNumber}`,
      (reader) => reader.readObject(),
    );
  }

  private objectStream(streamNumber: number): Promise<ObjectStream> {
    let stream = this.objectStreams.get(streamNumber);
    if (!stream) {
      stream = this.loadObjectStream(streamNumber);
      this.objectStreams.set(streamNumber, stream);
      if (this.objectStreams.size > maxCachedObjectStreams) {
        const oldest = this.objectStreams.keys().next();
        if (!oldest.done) this.objectStreams.delete(oldest.value);
      }
    }
    return stream;
  }

  private async loadObjectStream(streamNumber: number): Promise<ObjectStream> {
    const what = `object stream ${streamNumber}`;
    const entry = this.entry(streamNumber);
    if (entry?.kind !== 'offset') {
      throw new DamagedPdfError(`${what} has no xref entry with an offset`);
    }
    const object = await this.file.readIndirectObject(entry.offset, streamNumber);
    const dict = object.value;
    if (object.streamDataOffset === undefined || !(dict instanceof PDFDict)) {
      throw new DamagedPdfError(`${what} is not a stream`);
    }
    const length = await this.streamLength(dict);
    const count = dict.get(PDFName.of('N'));
    const first = dict.get(PDFName.of('First'));
    if (length === undefined || !(count instanceof PDFNumber) || !(first instanceof PDFNumber)) {
      throw new DamagedPdfError(`${what} lacks a valid /Length, /N or /First`);
    }
    const raw = await this.file.readBytes(object.streamDataOffset, length, `the data of ${what}`);
    const data = decodeStreamData(dict, raw, streamNumber);
    return this.parseDecoded(data, 0, `the header of ${what}`, (reader) => {
      const numbers: number[] = [];
      const offsets: number[] = [];
      for (let i = 0; i < count.asNumber(); i += 1) {
        const number = reader.readInteger();
        const offset = reader.readInteger();
        if (number === undefined || offset === undefined) throw new SyntaxProblem(reader.position);
        numbers.push(number);
        offsets.push(offset);
      }
      return { data, first: first.asNumber(), numbers, offsets };
    });
  }

  // An indirect /Length must not itself sit in an object stream (ISO 32000-1, 7.5.7); refusing
  // one that does also stops a stream from needing itself to be read.
  private async streamLength(dict: PDFDict): Promise<number | undefined> {
    const value = dict.get(PDFName.of('Length'));
    if (value instanceof PDFRef && this.entry(value.objectNumber)?.kind !== 'offset') {
      return undefined;
    }
    const length = await this.resolve(value);
    return length instanceof PDFNumber ? length.asNumber() : undefined;
  }

  private parseDecoded<T>(
    data: Uint8Array,
    start: number,
    what: string,
    parse: (reader: SliceReader) => T,
  ): T {
    try {
      return parse(new SliceReader(data, this.file.context, true, start));
    } catch (error) {
      if (error instanceof SyntaxProblem || error instanceof SliceTooShort) {
        throw new DamagedPdfError(`${what} cannot be parsed`);
      }
      throw error;
    }
  }
}
