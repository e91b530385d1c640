import type { HttpRequest } from '@azure/functions';
import { ByteRangeHasher } from '../sealing/ByteRangeHasher.js';
import { InvalidRequestError, PdfTooLargeError, UnsupportedMediaTypeError } from './errors.js';
import { readBodyWithin } from './readBodyWithin.js';
import { parseSealOptions, sealOptionNames, type SealRequestOptions } from './SealOptions.js';

/** A direct-mode request, checked: the PDF's bytes, the seal options, and how to answer. */
export interface DirectSealRequest {
  /** The PDF, as the chunks it arrived in. */
  readonly pdf: readonly Uint8Array[];
  readonly sizeBytes: number;
  readonly options: SealRequestOptions;
  /** `pdf`: answer with the sealed PDF itself; `json`: with JSON carrying it in base64. */
  readonly responseFormat: 'pdf' | 'json';
  /** The body is hashed as it arrives (or is decoded): this hasher has seen exactly `pdf`. */
  readonly hashedOriginal: ByteRangeHasher;
}

const optionNames: readonly string[] = sealOptionNames;
const rawContentTypes = ['application/pdf', 'application/octet-stream'];

/**
 * Reads a direct-mode request with a raw PDF body (options in the query string; the JSON form is
 * read by `readSealRequest`). The size limit is enforced before the body is buffered whenever the
 * request declares its length, and the body is hashed while it arrives.
 */
export async function readDirectSealRequest(
  request: Pick<HttpRequest, 'headers' | 'query' | 'body'>,
  maxPdfBytes: number,
): Promise<DirectSealRequest> {
  const contentType = (request.headers.get('content-type') ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (!contentType || !rawContentTypes.includes(contentType)) {
    throw new UnsupportedMediaTypeError(contentType || '(none)');
  }
  const query = Object.fromEntries(request.query.entries());
  delete query.code;
  rejectUnknownFields(query, optionNames, 'query parameter');
  const options = parseSealOptions(query);

  const declared = request.headers.get('content-length');
  const hashedOriginal = new ByteRangeHasher();
  const body = await readBodyWithin(
    request.body,
    declared === null ? undefined : Number(declared),
    maxPdfBytes,
    (length) => new PdfTooLargeError(maxPdfBytes, length),
    (chunk) => hashedOriginal.update(chunk),
  );
  return { pdf: body.chunks, sizeBytes: body.size, options, responseFormat: 'pdf', hashedOriginal };
}

/** Refuses the first of `fields` that is not `known`, naming what is. */
export function rejectUnknownFields(fields: object, known: readonly string[], kind: string): void {
  const unknown = Object.keys(fields).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new InvalidRequestError(
      unknown.slice(0, 64),
      `no such ${kind}; known: ${known.join(', ')}`,
    );
  }
}
