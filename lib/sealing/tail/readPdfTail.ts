import { PDFContext, PDFName, PDFNumber } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import { EncryptedPdfError } from '../errors/EncryptedPdfError.js';
import { NotAPdfError } from '../errors/NotAPdfError.js';
import type { PdfSource } from '../PdfSource.js';
import { cachedSource } from './cachedSource.js';
import { PdfFile } from './PdfFile.js';
import { PdfTail } from './PdfTail.js';
import { readXrefStream } from './readXrefStream.js';
import { readXrefTable } from './readXrefTable.js';
import { SliceReader } from './SliceReader.js';
import type { XrefSection } from './XrefSection.js';

// ISO 32000-1 (annex H.3, note 13) lets readers accept a header anywhere in the first 1024 bytes.
const headerSearchBytes = 1024;
// `startxref` belongs in the last 1024 bytes; some tools append a little junk after %%EOF.
const tailBytes = 64 * 1024;
const maxSections = 10_000;
const latin1 = new TextDecoder('latin1');

/**
 * Opens a PDF from its end: finds the header and `startxref`, then reads every cross-reference
 * section along the `/Prev` chain (and `/XRefStm` streams of hybrid-reference files). Reads only
 * the head, the tail and the xref sections, never the page content.
 *
 * A `startxref` or xref entry that does not point where it should is PDF_DAMAGED: the file is not
 * repaired or scanned for objects, because a seal must cover what every reader sees.
 *
 * @throws NotAPdfError, DamagedPdfError, UnsupportedPdfError, EncryptedPdfError
 */
export async function readPdfTail(rawSource: PdfSource): Promise<PdfTail> {
  const source = cachedSource(rawSource);
  const headerOffset = await findHeader(source);
  const { startxref, endsWithEndOfLine } = await findStartxref(source);
  const file = new PdfFile(source, await chooseOffsetBase(source, headerOffset, startxref));

  const sections: XrefSection[] = [];
  const visited = new Set<number>();
  let offset: number | undefined = startxref;
  while (offset !== undefined) {
    if (visited.has(offset)) {
      throw new DamagedPdfError(`the /Prev chain loops back to offset ${offset}`);
    }
    if (visited.size >= maxSections) {
      throw new DamagedPdfError(`the /Prev chain is longer than ${maxSections} sections`);
    }
    visited.add(offset);
    const section = await readSection(file, offset);
    sections.push(section);
    offset = integerIn(section, 'Prev');
  }

  const tail = new PdfTail(file, sections, startxref, endsWithEndOfLine);
  if (tail.trailerValue('Encrypt') !== undefined) throw new EncryptedPdfError();
  return tail;
}

async function findHeader(source: PdfSource): Promise<number> {
  const head = latin1.decode(await source.read(0, headerSearchBytes));
  const offset = head.indexOf('%PDF-');
  if (offset < 0) throw new NotAPdfError(headerSearchBytes);
  return offset;
}

async function findStartxref(
  source: PdfSource,
): Promise<{ startxref: number; endsWithEndOfLine: boolean }> {
  const start = Math.max(0, source.size - tailBytes);
  const tail = await source.read(start, tailBytes);
  const keyword = latin1.decode(tail).lastIndexOf('startxref');
  if (keyword < 0) {
    throw new DamagedPdfError(
      `no startxref in its last ${tail.byteLength} bytes, so it is probably truncated`,
    );
  }
  const reader = new SliceReader(tail, PDFContext.create(), true, keyword + 'startxref'.length);
  const startxref = reader.readInteger();
  if (startxref === undefined) {
    throw new DamagedPdfError(`startxref at offset ${start + keyword} has no number`);
  }
  const lastByte = tail[tail.byteLength - 1];
  return { startxref, endsWithEndOfLine: lastByte === 0x0a || lastByte === 0x0d };
}

/**
 * Offsets count from the start of the file, or, when junk precedes the header, possibly from the
 * header: writers disagree, so the one under which `startxref` lands on an xref section wins.
 */
async function chooseOffsetBase(
  source: PdfSource,
  headerOffset: number,
  startxref: number,
): Promise<number> {
  const bases = headerOffset === 0 ? [0] : [0, headerOffset];
  for (const base of bases) {
    if (await startsXrefSection(new PdfFile(source, base), startxref)) return base;
  }
  throw new DamagedPdfError(
    `startxref points at offset ${startxref}, where no xref section starts`,
  );
}

async function startsXrefSection(file: PdfFile, offset: number): Promise<boolean> {
  return (await sectionKindAt(file, offset)) !== undefined;
}

// A classic table starts with `xref`; an xref stream is an indirect object.
async function sectionKindAt(
  file: PdfFile,
  offset: number,
): Promise<'table' | 'stream' | undefined> {
  if (offset + file.headerOffset >= file.source.size) return undefined;
  return file.parseAt(offset, `the xref section at offset ${offset}`, (reader) => {
    if (reader.readKeyword('xref')) return 'table';
    return reader.readObjectHeader() ? 'stream' : undefined;
  });
}

async function readSection(file: PdfFile, offset: number): Promise<XrefSection> {
  const kind = await sectionKindAt(file, offset);
  if (kind === undefined) {
    throw new DamagedPdfError(
      `offset ${offset} is named as an xref section, but none starts there`,
    );
  }
  if (kind === 'stream') return readXrefStream(file, offset);
  const table = await readXrefTable(file, offset);
  const hybridOffset = integerIn(table, 'XRefStm');
  if (hybridOffset === undefined) return table;
  return { ...table, hybridStream: await readXrefStream(file, hybridOffset) };
}

function integerIn(section: XrefSection, key: string): number | undefined {
  const value = section.trailer.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}
