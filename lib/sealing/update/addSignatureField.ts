import type { PDFObject } from 'pdf-lib';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

import type { PdfTail } from '../tail/PdfTail.js';
import { chooseFieldName } from './chooseFieldName.js';
import type { IndirectDict } from './findFirstPage.js';
import { readFieldNames } from './readFieldNames.js';

/** An indirect object the update writes again, whole, under the same number and generation. */
export interface Rewrite {
  readonly ref: PDFRef;
  readonly value: PDFObject;
}

/** What {@link addSignatureField} changed. */
export interface SignatureFieldEdit {
  /** The field name used: `requestedName`, or the first free one after it. */
  readonly fieldName: string;
  /** The objects to rewrite, at most one entry per object. */
  readonly rewrites: readonly Rewrite[];
}

// SignaturesExist (1) and AppendOnly (2): viewers must keep later changes incremental.
const sigFlags = 3;

/**
 * Links the widget `widgetRef` (which is also the field) into the catalog's AcroForm `/Fields`
 * and into the first page's `/Annots`, creating the AcroForm or the arrays where missing and
 * setting `/SigFlags 3`. The objects are changed in memory, where the tail memoises them; the
 * caller writes the rewrites.
 */
export async function addSignatureField(
  tail: PdfTail,
  catalog: IndirectDict,
  page: IndirectDict,
  widgetRef: PDFRef,
  requestedName: string,
): Promise<SignatureFieldEdit> {
  const rewrites = new Map<number, Rewrite>();
  const rewrite = (object: Rewrite): void => {
    rewrites.set(object.ref.objectNumber, object);
  };

  const form = await openAcroForm(tail, catalog);
  const fields = await arrayEntry(tail, form.owner, form.dict, 'Fields');
  const fieldName = chooseFieldName(requestedName, await readFieldNames(tail, fields.array));
  fields.array.push(widgetRef);
  rewrite(fields.owner);

  const flags = await tail.resolve(form.dict.get(PDFName.of('SigFlags')));
  const currentFlags = flags instanceof PDFNumber ? flags.asNumber() : 0;
  if ((currentFlags & sigFlags) !== sigFlags) {
    form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(currentFlags | sigFlags));
    rewrite(form.owner);
  }

  const annots = await arrayEntry(tail, { ref: page.ref, value: page.dict }, page.dict, 'Annots');
  annots.array.push(widgetRef);
  rewrite(annots.owner);

  return { fieldName, rewrites: [...rewrites.values()] };
}

// The AcroForm dictionary and the indirect object that holds it: itself, or the catalog.
async function openAcroForm(
  tail: PdfTail,
  catalog: IndirectDict,
): Promise<{ dict: PDFDict; owner: Rewrite }> {
  const catalogOwner = { ref: catalog.ref, value: catalog.dict };
  const value = catalog.dict.get(PDFName.of('AcroForm'));
  if (value instanceof PDFDict) return { dict: value, owner: catalogOwner };
  if (value instanceof PDFRef) {
    const dict = await tail.lookup(value);
    if (dict instanceof PDFDict) return { dict, owner: { ref: value, value: dict } };
  }
  const dict = PDFDict.withContext(tail.file.context);
  catalog.dict.set(PDFName.of('AcroForm'), dict);
  return { dict, owner: catalogOwner };
}

// The array under `key`, and the indirect object to rewrite when it changes: the array itself
// when it is indirect, otherwise `owner`. A missing array is created in `dict`.
async function arrayEntry(
  tail: PdfTail,
  owner: Rewrite,
  dict: PDFDict,
  key: string,
): Promise<{ array: PDFArray; owner: Rewrite }> {
  const value = dict.get(PDFName.of(key));
  if (value instanceof PDFArray) return { array: value, owner };
  if (value instanceof PDFRef) {
    const array = await tail.lookup(value);
    if (array instanceof PDFArray) return { array, owner: { ref: value, value: array } };
  }
  const array = PDFArray.withContext(tail.file.context);
  dict.set(PDFName.of(key), array);
  return { array, owner };
}
