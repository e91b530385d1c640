import type { PDFObject } from 'pdf-lib';
import { PDFArray, PDFDict, PDFName, PDFNumber } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import { decodeStreamData } from './decodeStreamData.js';
import type { PdfFile } from './PdfFile.js';
import type { XrefSection, XrefSubsection } from './XrefSection.js';

/** Reads the cross-reference stream at `offset` (ISO 32000-1, 7.5.8). */
export async function readXrefStream(file: PdfFile, offset: number): Promise<XrefSection> {
  const what = `the xref stream at offset ${offset}`;
  const object = await file.readAnyIndirectObject(offset, what);
  const dict = object?.value;
  if (
    object?.streamDataOffset === undefined ||
    !(dict instanceof PDFDict) ||
    dict.get(PDFName.of('Type')) !== PDFName.of('XRef')
  ) {
    throw new DamagedPdfError(`offset ${offset} holds no xref section`);
  }

  // Every value in an xref stream's dictionary is direct (ISO 32000-1, 7.5.8.2).
  const length = integer(dict.get(PDFName.of('Length')));
  const size = integer(dict.get(PDFName.of('Size')));
  const widths = integers(dict.get(PDFName.of('W')));
  const index =
    integers(dict.get(PDFName.of('Index'))) ?? (size === undefined ? undefined : [0, size]);
  if (
    length === undefined ||
    widths?.length !== 3 ||
    widths.some((width) => width > 8) ||
    widths.every((width) => width === 0) ||
    index === undefined ||
    index.length % 2 !== 0
  ) {
    throw new DamagedPdfError(`${what} lacks a valid /Length, /Size, /W or /Index`);
  }
  const raw = await file.readBytes(object.streamDataOffset, length, `the data of ${what}`);
  const data = decodeStreamData(dict, raw, object.objectNumber);

  const subsections: XrefSubsection[] = [];
  const rows = new RowReader(data, widths as [number, number, number], what);
  for (let pair = 0; pair < index.length; pair += 2) {
    subsections.push(rows.read(index[pair] ?? 0, index[pair + 1] ?? 0));
  }
  return { kind: 'stream', offset, trailer: dict, subsections };
}

class RowReader {
  private position = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly widths: readonly [number, number, number],
    private readonly what: string,
  ) {}

  read(first: number, count: number): XrefSubsection {
    const [typeWidth, locationWidth, numberWidth] = this.widths;
    if (this.position + count * (typeWidth + locationWidth + numberWidth) > this.data.length) {
      throw new DamagedPdfError(`${this.what} holds fewer entries than its /Index lists`);
    }
    const subsection = {
      first,
      count,
      types: new Uint8Array(count),
      locations: new Float64Array(count),
      numbers: new Uint32Array(count),
    };
    for (let entry = 0; entry < count; entry += 1) {
      // A type field of width 0 means every entry is type 1 (ISO 32000-1, table 17).
      subsection.types[entry] = typeWidth === 0 ? 1 : this.field(typeWidth);
      subsection.locations[entry] = this.field(locationWidth);
      subsection.numbers[entry] = this.field(numberWidth);
    }
    return subsection;
  }

  // A big-endian unsigned integer of `width` bytes.
  private field(width: number): number {
    let value = 0;
    for (let i = 0; i < width; i += 1) {
      value = value * 256 + (this.data[this.position] ?? 0);
      this.position += 1;
    }
    return value;
  }
}

function integer(value: PDFObject | undefined): number | undefined {
  if (!(value instanceof PDFNumber)) return undefined;
  const number = value.asNumber();
  return Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function integers(value: PDFObject | undefined): number[] | undefined {
  if (!(value instanceof PDFArray)) return undefined;
  const numbers = value.asArray().map(integer);
  return numbers.every((number) => number !== undefined) ? numbers : undefined;
}
