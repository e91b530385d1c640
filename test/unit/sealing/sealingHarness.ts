import { randomBytes } from 'node:crypto';

import type { PDFObject } from 'pdf-lib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
} from 'pdf-lib';

import { digestOriginalAndUpdate } from '../../../lib/sealing/digestByteRanges.js';
import { embedCms } from '../../../lib/sealing/embedCms.js';
import { bufferSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';
import type { SealOptions } from '../../../lib/sealing/SealOptions.js';
import type { SealPlan } from '../../../lib/sealing/SealPlan.js';

export const signingTime = new Date('2024-01-02T03:04:05Z');

/** A seal made with `cms` (random bytes by default: the PDF side does not read it). */
export interface TestSeal {
  readonly plan: SealPlan;
  readonly digest: Buffer;
  readonly cms: Uint8Array;
  readonly sealed: Buffer;
}

/** Plans, digests and embeds a seal over `original`, the way direct mode does. */
export async function sealForTest(
  original: Uint8Array,
  options: Partial<SealOptions> = {},
  cms: Uint8Array = randomBytes(1500),
): Promise<TestSeal> {
  const plan = await planIncrementalSeal(bufferSource(original), { signingTime, ...options });
  const digest = digestOriginalAndUpdate(original, plan);
  const sealed = Buffer.concat([original, embedCms(plan, cms)]);
  return { plan, digest, cms, sealed };
}

/** The signed bytes of `sealed`, concatenated: test-only, production never copies them. */
export function signedBytes(sealed: Buffer, byteRange: readonly number[]): Buffer {
  const [start = 0, length = 0, secondStart = 0, secondLength = 0] = byteRange;
  return Buffer.concat([
    sealed.subarray(start, start + length),
    sealed.subarray(secondStart, secondStart + secondLength),
  ]);
}

/** How many `%%EOF` markers the file has: one per revision (two in a linearized original). */
export function countEofMarkers(bytes: Uint8Array): number {
  return Buffer.from(bytes).toString('latin1').match(/%%EOF/g)?.length ?? 0;
}

/** The signature fields a reader sees, read back with pdf-lib. */
export interface SignatureFieldsSeen {
  /** `/T` of every `/FT /Sig` field in the AcroForm's `/Fields`. */
  readonly names: readonly string[];
  readonly sigFlags: number | undefined;
  /** `/T` of the signature widgets in page 1's `/Annots`. */
  readonly namesOnPage1: readonly string[];
  /** Each signature field's `/V` dictionary's `/ByteRange`. */
  readonly byteRanges: readonly (readonly number[])[];
  readonly pageCount: number;
}

/** Reads `sealed` back with pdf-lib and lists its signature fields. */
export async function readSignatureFields(sealed: Uint8Array): Promise<SignatureFieldsSeen> {
  const doc = await PDFDocument.load(sealed, { updateMetadata: false });
  const lookup = (value: PDFObject | undefined): PDFObject | undefined =>
    value instanceof PDFRef ? doc.context.lookup(value) : value;
  const isSignatureField = (value: PDFObject | undefined): value is PDFDict =>
    value instanceof PDFDict && value.get(PDFName.of('FT')) === PDFName.of('Sig');
  const nameOf = (field: PDFDict): string => {
    const title = lookup(field.get(PDFName.of('T')));
    return title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : '';
  };

  const acroForm = lookup(doc.catalog.get(PDFName.of('AcroForm')));
  const form = acroForm instanceof PDFDict ? acroForm : undefined;
  const fields = lookup(form?.get(PDFName.of('Fields')));
  const signatureFields = (fields instanceof PDFArray ? fields.asArray() : [])
    .map(lookup)
    .filter(isSignatureField);
  const flags = lookup(form?.get(PDFName.of('SigFlags')));
  const annots = lookup(doc.getPage(0).node.get(PDFName.of('Annots')));
  const widgets = (annots instanceof PDFArray ? annots.asArray() : [])
    .map(lookup)
    .filter(isSignatureField);

  return {
    names: signatureFields.map(nameOf),
    sigFlags: flags instanceof PDFNumber ? flags.asNumber() : undefined,
    namesOnPage1: widgets.map(nameOf),
    byteRanges: signatureFields.map((field) => {
      const signature = lookup(field.get(PDFName.of('V')));
      const range =
        signature instanceof PDFDict ? lookup(signature.get(PDFName.of('ByteRange'))) : undefined;
      return range instanceof PDFArray
        ? range.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : NaN))
        : [];
    }),
    pageCount: doc.getPageCount(),
  };
}
