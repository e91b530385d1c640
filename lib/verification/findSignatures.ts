import { NotAPdfError } from './errors/NotAPdfError.js';

/** Where a signature's `/Contents` hex string sits: from `<` to one past `>`. */
export interface ContentsLocation {
  readonly start: number;
  readonly end: number;
}

/** One signature dictionary found in a PDF. */
export interface PdfSignature {
  /** The four numbers of `/ByteRange`: offset and length of the two signed ranges. */
  readonly byteRange: readonly [number, number, number, number];
  /** The `/Contents` hex string; undefined when the dictionary has none. */
  readonly contents: ContentsLocation | undefined;
  /** The CMS: `/Contents` hex-decoded, trailing zero padding cut off by the DER length. */
  readonly cms: Uint8Array;
  /** `/SubFilter`, for example `ETSI.CAdES.detached` or `adbe.pkcs7.detached`. */
  readonly subFilter: string | undefined;
  /** Where the revision this signature signs ends: `byteRange[2] + byteRange[3]`. */
  readonly revisionEnd: number;
  /** Offset of the `N G obj` that holds the signature dictionary. */
  readonly objectOffset: number;
}

const headerWindow = 1024;
const encoder = new TextEncoder();
const byteRangeKey = encoder.encode('/ByteRange');
const contentsKey = encoder.encode('/Contents');
const objKeyword = encoder.encode('obj');
const endobjKeyword = encoder.encode('endobj');

/**
 * Finds the signature dictionaries of a PDF by scanning its bytes for `/ByteRange [a b c d]` and the
 * `/Contents <hex>` of the same indirect object, in file order. Throws `NotAPdfError` when the input
 * has no `%PDF-` header; anything odd about a signature is left for the verifier to report.
 *
 * NOTE: a byte scan, not a parse of the object graph. It finds signature dictionaries in every
 * revision, also ones a later revision replaced or no longer references. It cannot see a
 * dictionary inside a compressed object stream (signers never put one there, since `/ByteRange`
 * must point at literal file bytes), and a literal string holding `obj` or `endobj` between a
 * dictionary's start and its `/ByteRange` can make it miss that dictionary.
 */
export function findSignatures(pdf: Uint8Array): PdfSignature[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  if (!bytes.subarray(0, headerWindow).includes('%PDF-')) {
    throw new NotAPdfError(headerWindow, pdf.byteLength);
  }

  const signatures: PdfSignature[] = [];
  let position = bytes.indexOf(byteRangeKey);
  while (position !== -1) {
    const signature = readSignatureAt(bytes, position);
    if (signature !== undefined) signatures.push(signature);
    position = bytes.indexOf(byteRangeKey, position + byteRangeKey.byteLength);
  }
  return signatures;
}

function readSignatureAt(bytes: Buffer, keyOffset: number): PdfSignature | undefined {
  // Placeholders awaiting a signature (`/ByteRange [0 /********** ...]`) do not parse and are skipped.
  const byteRange = readByteRange(bytes, keyOffset + byteRangeKey.byteLength);
  if (byteRange === undefined) return undefined;
  const object = enclosingObject(bytes, keyOffset);
  if (object === undefined) return undefined;

  const contents = findContents(bytes, object.start, object.end);
  const dictionaryText = Buffer.concat([
    bytes.subarray(object.start, contents?.start ?? object.end),
    bytes.subarray(contents?.end ?? object.end, object.end),
  ]).toString('latin1');
  const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dictionaryText)?.[1];

  return {
    byteRange,
    contents,
    cms: contents === undefined ? new Uint8Array(0) : decodeContents(bytes, contents),
    subFilter,
    revisionEnd: byteRange[2] + byteRange[3],
    objectOffset: object.start,
  };
}

function readByteRange(
  bytes: Buffer,
  offset: number,
): [number, number, number, number] | undefined {
  const text = bytes.subarray(offset, offset + 128).toString('latin1');
  const match = /^\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (match === null) return undefined;
  const [, a = '', b = '', c = '', d = ''] = match;
  return [Number(a), Number(b), Number(c), Number(d)];
}

/** The `N G obj` … `endobj` around `offset`. */
function enclosingObject(
  bytes: Buffer,
  offset: number,
): { start: number; end: number } | undefined {
  let keyword = bytes.lastIndexOf(objKeyword, offset);
  while (keyword !== -1) {
    const before = bytes.subarray(Math.max(0, keyword - 24), keyword).toString('latin1');
    const header = /(\d+)\s+(\d+)\s+$/.exec(before);
    const isEndobj =
      keyword >= 3 && bytes.subarray(keyword - 3, keyword).toString('latin1') === 'end';
    if (header !== null && !isEndobj) {
      const end = bytes.indexOf(endobjKeyword, offset);
      if (end === -1) return undefined;
      return { start: keyword - header[0].length, end };
    }
    if (isEndobj) return undefined;
    keyword = keyword === 0 ? -1 : bytes.lastIndexOf(objKeyword, keyword - 1);
  }
  return undefined;
}

/** The first `/Contents <hex>` inside the object (a dictionary `<<` does not count). */
function findContents(bytes: Buffer, start: number, end: number): ContentsLocation | undefined {
  let key = bytes.indexOf(contentsKey, start);
  while (key !== -1 && key < end) {
    let open = key + contentsKey.byteLength;
    while (open < end && isWhitespace(bytes[open])) open += 1;
    if (bytes[open] === 0x3c && bytes[open + 1] !== 0x3c) {
      const close = bytes.indexOf(0x3e, open);
      if (close !== -1 && close < end) return { start: open, end: close + 1 };
    }
    key = bytes.indexOf(contentsKey, key + contentsKey.byteLength);
  }
  return undefined;
}

/**
 * Hex-decodes `/Contents` (whitespace ignored, as PDF allows in hex strings) and cuts the zero
 * padding of the reserved space off by the outer DER length. Bytes that do not start a DER
 * SEQUENCE are returned whole, and a string that is not hex as no bytes, for the CMS parser to
 * reject.
 */
function decodeContents(bytes: Buffer, contents: ContentsLocation): Uint8Array {
  const hex = bytes
    .subarray(contents.start + 1, contents.end - 1)
    .toString('latin1')
    .replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex)) return new Uint8Array(0);
  // An odd final digit counts as followed by 0 (ISO 32000-1, 7.3.4.3).
  const decoded = Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex');
  const length = derLength(decoded);
  return new Uint8Array(length === undefined ? decoded : decoded.subarray(0, length));
}

function derLength(bytes: Buffer): number | undefined {
  if (bytes[0] !== 0x30 || bytes.byteLength < 2) return undefined;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || bytes.byteLength < 2 + count) return undefined;
  const length = bytes.readUIntBE(2, count);
  const total = 2 + count + length;
  return total <= bytes.byteLength ? total : undefined;
}

function isWhitespace(byte: number | undefined): boolean {
  return (
    byte === 0x20 ||
    byte === 0x0a ||
    byte === 0x0d ||
    byte === 0x09 ||
    byte === 0x0c ||
    byte === 0x00
  );
}
