import { createHash } from 'node:crypto';

import { PDFArray, PDFHexString, PDFRef, PDFString } from 'pdf-lib';

import { DamagedPdfError } from './errors/DamagedPdfError.js';
import type { PdfSource } from './PdfSource.js';
import type { SealOptions } from './SealOptions.js';
import type { SealPlan } from './SealPlan.js';
import type { PdfTail } from './tail/PdfTail.js';
import { readPdfTail } from './tail/readPdfTail.js';
import type { SignatureFieldEdit } from './update/addSignatureField.js';
import { addSignatureField } from './update/addSignatureField.js';
import type { SealSettings } from './update/checkSealOptions.js';
import { checkSealOptions } from './update/checkSealOptions.js';
import type { IndirectDict } from './update/findFirstPage.js';
import { findFirstPage } from './update/findFirstPage.js';
import { lookupDict } from './update/lookupDict.js';
import type { TrailerEntries } from './update/TrailerEntries.js';
import { UpdateWriter } from './update/UpdateWriter.js';
import type { SignaturePlaceholders } from './update/writeSignature.js';
import { writeSignatureDictionary, writeSignatureWidget } from './update/writeSignature.js';
import { writeXrefStream } from './update/writeXrefStream.js';
import { writeXrefTable } from './update/writeXrefTable.js';

/**
 * Plans a seal as an incremental update (ISO 32000-1, 7.5.6): reads the tail of `source` with
 * ranged reads, and returns the bytes to append after the original, untouched, with a signature
 * dictionary, an invisible signature field on page 1, the catalog, AcroForm and page objects that
 * link them, and a new xref section of the same kind as the original's newest.
 *
 * Reads only the head, the tail, the xref sections and a few objects, so a multi-gigabyte source
 * costs a few ranged reads and flat memory.
 *
 * NOTE: the seal is invisible and certifies nothing. A document certified with DocMDP
 * permissions 1 (no changes) is not detected: sealing it breaks its certification. With the
 * ETSI SubFilter, no `/Extensions` ETSI_PAdES entry is added to the catalog (verifiers accept the
 * seal without it).
 *
 * @throws NotAPdfError, DamagedPdfError, EncryptedPdfError, UnsupportedPdfError,
 *   InvalidSealOptionsError
 */
export async function planIncrementalSeal(
  source: PdfSource,
  options: SealOptions,
): Promise<SealPlan> {
  const settings = checkSealOptions(options);
  const tail = await readPdfTail(source);

  const root = tail.trailerValue('Root');
  if (!(root instanceof PDFRef)) throw new DamagedPdfError('the trailer has no /Root reference');
  const catalog = { ref: root, dict: await lookupDict(tail, root, 'the catalog') };
  const page = await findFirstPage(tail, catalog.dict);
  const refs = {
    signature: PDFRef.of(tail.size),
    widget: PDFRef.of(tail.size + 1),
    xrefStream: PDFRef.of(tail.size + 2),
  };
  const edit = await addSignatureField(tail, catalog, page, refs.widget, settings.fieldName);

  const writer = new UpdateWriter(source.size, tail.file.headerOffset);
  const placeholders = writeUpdate(writer, tail, settings, { refs, page, edit, root });
  const update = writer.toBuffer();
  const totalSize = source.size + update.byteLength;
  const byteRange = [
    0,
    placeholders.contentsStart,
    placeholders.contentsEnd,
    totalSize - placeholders.contentsEnd,
  ] as const;
  const byteRangeText = byteRange.join(' ').padEnd(placeholders.byteRangeLength, ' ');
  update.write(byteRangeText, placeholders.byteRangeStart - source.size, 'latin1');

  return {
    update,
    originalSize: source.size,
    totalSize,
    byteRange,
    contentsPlaceholderBytes: settings.contentsCapacity,
    fieldName: edit.fieldName,
    sourceXref: tail.xrefKind,
  };
}

interface UpdateContent {
  readonly refs: { signature: PDFRef; widget: PDFRef; xrefStream: PDFRef };
  readonly page: IndirectDict;
  readonly edit: SignatureFieldEdit;
  readonly root: PDFRef;
}

// Writes the whole update, with /ByteRange still blank, and says where its placeholders are.
function writeUpdate(
  writer: UpdateWriter,
  tail: PdfTail,
  settings: SealSettings,
  { refs, page, edit, root }: UpdateContent,
): SignaturePlaceholders {
  if (!tail.endsWithEndOfLine) writer.write('\n');
  // Ten digits cover any offset below 10 GB; one more than the original has leaves room for the
  // update after it.
  const offsetDigits = Math.max(10, String(writer.position).length + 1);
  const placeholders = writeSignatureDictionary(writer, refs.signature, settings, offsetDigits);
  writeSignatureWidget(writer, refs.widget, edit.fieldName, refs.signature, page.ref);
  for (const { ref, value } of edit.rewrites) {
    writer.beginObject(ref);
    writer.write(value.toString());
    writer.endObject();
  }

  const info = tail.trailerValue('Info');
  const trailer: TrailerEntries = {
    size: tail.size,
    root: root.toString(),
    info: info?.toString(),
    id: fileIdentifier(tail, settings, edit.fieldName),
    prev: tail.startxref,
  };
  if (tail.xrefKind === 'stream') writeXrefStream(writer, refs.xrefStream, trailer);
  else writeXrefTable(writer, trailer);
  return placeholders;
}

/**
 * The original's `/ID` with a new second element, as an update should have (ISO 32000-1,
 * 14.4). The new element is derived from the original's size, the field and the signing time, so
 * that a plan stays reproducible.
 */
function fileIdentifier(
  tail: PdfTail,
  settings: SealSettings,
  fieldName: string,
): string | undefined {
  const id = tail.trailerValue('ID');
  const permanent = id instanceof PDFArray ? id.get(0) : undefined;
  if (!(permanent instanceof PDFHexString || permanent instanceof PDFString)) return undefined;
  const seed = [
    permanent.toString(),
    tail.file.source.size,
    fieldName,
    settings.signingTime.toISOString(),
  ];
  const changing = createHash('sha256')
    .update(seed.map(String).join(' '))
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
  return `[${permanent.toString()} <${changing}>]`;
}
