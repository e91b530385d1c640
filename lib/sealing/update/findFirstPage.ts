import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import type { PdfTail } from '../tail/PdfTail.js';
import { lookupDict } from './lookupDict.js';

/** An object the update may rewrite: its reference and its (mutable) value. */
export interface IndirectDict {
  readonly ref: PDFRef;
  readonly dict: PDFDict;
}

/**
 * Walks the page tree from the catalog's `/Pages` down the first branch that holds pages, to the
 * first page. Reads one object per level.
 */
export async function findFirstPage(tail: PdfTail, catalog: PDFDict): Promise<IndirectDict> {
  let ref = catalog.get(PDFName.of('Pages'));
  const visited = new Set<number>();
  for (;;) {
    if (!(ref instanceof PDFRef)) {
      throw new DamagedPdfError('the page tree holds a page that is not an indirect object');
    }
    if (visited.has(ref.objectNumber)) {
      throw new DamagedPdfError(`the page tree loops back to object ${ref.objectNumber}`);
    }
    visited.add(ref.objectNumber);
    const node = await lookupDict(tail, ref, 'a page tree node');
    if (node.get(PDFName.of('Type')) === PDFName.of('Page')) return { ref, dict: node };
    const kids = await tail.resolve(node.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) return { ref, dict: node };
    ref = await firstKidWithPages(tail, kids, ref.objectNumber);
  }
}

// Intermediate nodes with /Count 0 and missing kids hold no pages and are skipped.
async function firstKidWithPages(tail: PdfTail, kids: PDFArray, parent: number): Promise<PDFRef> {
  for (const kid of kids.asArray()) {
    if (!(kid instanceof PDFRef)) {
      throw new DamagedPdfError(
        `page tree node ${parent} holds a kid that is not an indirect object`,
      );
    }
    const node = await tail.lookup(kid);
    if (!(node instanceof PDFDict)) continue;
    const count = await tail.resolve(node.get(PDFName.of('Count')));
    const isEmptyNode =
      node.get(PDFName.of('Type')) === PDFName.of('Pages') &&
      count instanceof PDFNumber &&
      count.asNumber() === 0;
    if (!isEmptyNode) return kid;
  }
  throw new DamagedPdfError(`page tree node ${parent} has no pages`);
}
