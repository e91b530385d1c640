import type { HttpRequest } from '@azure/functions';
import { ByteRangeHasher } from '../sealing/ByteRangeHasher.js';
import { InvalidRequestError, PdfTooLargeError, UnsupportedMediaTypeError } from './errors.js';
import { readBodyWithin } from './readBodyWithin.js';
import { readJsonObject } from './readJsonObject.js';
import { parseSealOptions, sealOptionNames, type SealRequestOptions } from './SealOptions.js';

/** A direct-mode request, checked: the PDF's bytes, the seal options, and how to answer. */
export interface DirectSealRequest {
  /** The PDF, as the chunks it arrived in. */
  readonly pdf: readonly Uint8Array[];
  readonly sizeBytes: number;
  readonly options: SealRequestOptions;
  /** `pdf`: answer with the sealed PDF itself; `json`: with JSON carrying it in base64. */
  readonly responseFormat: 'pdf' | 'json';
  /** A raw body is hashed as it arrives; this hasher has seen exactly `pdf`. */
  readonly hashedOriginal?: ByteRangeHasher;
}

const optionNames: readonly string[] = sealOptionNames;
const rawContentTypes = ['application/pdf', 'application/octet-stream'];
/** Room in a JSON body for the options and the JSON syntax around the base64. */
const jsonOverheadBytes = 64 * 1024;

/**
 * Reads a direct-mode request: a raw PDF body (options in the query string) or a JSON body
 * `{ "pdf": "<base64>", ...options }`. The size limit applies to the PDF's decoded bytes and is
 * enforced before the body is buffered whenever the request declares its length.
 */
export async function readDirectSealRequest(
  request: HttpRequest,
  maxPdfBytes: number,
): Promise<DirectSealRequest> {
  const contentType = (request.headers.get('content-type') ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  const declared = request.headers.get('content-length');
  const declaredLength = declared === null ? undefined : Number(declared);
  const tooLarge = (length?: number) => new PdfTooLargeError(maxPdfBytes, length);

  if (contentType && rawContentTypes.includes(contentType)) {
    const query = Object.fromEntries(request.query.entries());
    delete query.code;
    rejectUnknown(query, optionNames, 'query parameter');
    const options = parseSealOptions(query);
    const hashedOriginal = new ByteRangeHasher();
    const body = await readBodyWithin(
      request.body,
      declaredLength,
      maxPdfBytes,
      tooLarge,
      (chunk) => hashedOriginal.update(chunk),
    );
    return {
      pdf: body.chunks,
      sizeBytes: body.size,
      options,
      responseFormat: 'pdf',
      hashedOriginal,
    };
  }
  if (contentType !== 'application/json') {
    throw new UnsupportedMediaTypeError(contentType || '(none)');
  }

  const fields = await readJsonObject(
    request.body,
    declaredLength,
    jsonBodyLimit(maxPdfBytes),
    () => tooLarge(),
  );
  return directSealRequestFromJson(fields, maxPdfBytes);
}

/** Largest JSON body a request may send: a PDF of `maxPdfBytes` in base64, and the options. */
export function jsonBodyLimit(maxPdfBytes: number): number {
  return Math.ceil(maxPdfBytes / 3) * 4 + jsonOverheadBytes;
}

/** A direct-mode request from a JSON body already read: `{ "pdf": "<base64>", ...options }`. */
export function directSealRequestFromJson(
  fields: Readonly<Record<string, unknown>>,
  maxPdfBytes: number,
): DirectSealRequest {
  rejectUnknown(fields, ['pdf', ...optionNames], 'field');
  const pdf = decodeBase64(fields.pdf, maxPdfBytes);
  return {
    pdf: [pdf],
    sizeBytes: pdf.byteLength,
    options: parseSealOptions(fields),
    responseFormat: 'json',
  };
}

function decodeBase64(value: unknown, maxPdfBytes: number): Buffer {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidRequestError('pdf', 'expected the PDF as a base64 string');
  }
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new InvalidRequestError(
      'pdf',
      'expected standard base64 (A-Z, a-z, 0-9, +, /, = padding)',
    );
  }
  const decodedLength = (value.length / 4) * 3 - (value.match(/=*$/)?.[0].length ?? 0);
  if (decodedLength > maxPdfBytes) throw new PdfTooLargeError(maxPdfBytes, decodedLength);
  return Buffer.from(value, 'base64');
}

function rejectUnknown(fields: object, known: readonly string[], kind: string): void {
  const unknown = Object.keys(fields).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new InvalidRequestError(
      unknown.slice(0, 64),
      `no such ${kind}; known: ${known.join(', ')}`,
    );
  }
}
