import type { PDFDocument } from 'pdf-lib';
import { PDFDict, PDFName, PDFRef } from 'pdf-lib';

import { appendUpdate } from './appendUpdate.js';

/**
 * `bytes` (saved from `doc`) plus an update with a new Info dictionary and the catalog written
 * again, as an editor saving incrementally does.
 */
export function appendIncrementalUpdate(doc: PDFDocument, bytes: Uint8Array): Buffer {
  const size = doc.context.largestObjectNumber + 1;
  const catalogRef = doc.context.trailerInfo.Root as PDFRef;
  return appendUpdate(bytes, {
    objects: new Map([
      [catalogRef.objectNumber, doc.catalog.toString()],
      [size, '<< /Producer (sealops test corpus, incremental update) /Title (Updated) >>'],
    ]),
    trailer: `/Root ${catalogRef.toString()} /Info ${size} 0 R`,
    size: size + 1,
  });
}

/** `bytes` (saved from `doc`) plus an update that moves /Fields and page 1's /Annots into indirect arrays. */
export function appendIndirectArrays(doc: PDFDocument, bytes: Uint8Array): Buffer {
  const size = doc.context.largestObjectNumber + 1;
  const acroFormRef = doc.catalog.get(PDFName.of('AcroForm')) as PDFRef;
  const acroForm = doc.context.lookup(acroFormRef, PDFDict).clone();
  const fields = acroForm.get(PDFName.of('Fields'));
  acroForm.set(PDFName.of('Fields'), PDFRef.of(size));
  const page = doc.getPage(0);
  const pageDict = page.node.clone();
  const annots = pageDict.get(PDFName.of('Annots'));
  pageDict.set(PDFName.of('Annots'), PDFRef.of(size + 1));
  const catalogRef = doc.context.trailerInfo.Root as PDFRef;
  return appendUpdate(bytes, {
    objects: new Map([
      [acroFormRef.objectNumber, acroForm.toString()],
      [page.ref.objectNumber, pageDict.toString()],
      [size, String(fields)],
      [size + 1, String(annots)],
    ]),
    trailer: `/Root ${catalogRef.toString()}`,
    size: size + 2,
  });
}
