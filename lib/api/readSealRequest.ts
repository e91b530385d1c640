import type { HttpRequest } from '@azure/functions';
import { InvalidRequestError } from './errors.js';
import {
  readDirectSealRequest,
  rejectUnknownFields,
  type DirectSealRequest,
} from './readDirectSealRequest.js';
import { readJsonSealBody } from './readJsonSealBody.js';
import { parseSealOptions, sealOptionNames } from './SealOptions.js';

/** A seal-pdf request: direct mode, read and checked, or storage mode, read but not yet checked. */
export type SealRequest =
  | ({ readonly mode: 'direct' } & DirectSealRequest)
  | { readonly mode: 'storage'; readonly fields: Readonly<Record<string, unknown>> };

/**
 * Reads a seal-pdf request, reading its body once, and tells the modes apart: a JSON body that
 * names a `source` or a `destination` blob is storage mode; anything else is direct mode, a raw
 * PDF or `{ "pdf": "<base64>", ...options }`. Storage fields are checked by
 * `readStorageSealRequest`, so that a refused storage request is reported as one.
 */
export async function readSealRequest(
  request: Pick<HttpRequest, 'headers' | 'query' | 'body'>,
  maxPdfBytes: number,
): Promise<SealRequest> {
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim();
  if (contentType?.toLowerCase() !== 'application/json') {
    return { mode: 'direct', ...(await readDirectSealRequest(request, maxPdfBytes)) };
  }
  const declared = request.headers.get('content-length');
  const { fields, pdf } = await readJsonSealBody(
    request.body,
    declared === null ? undefined : Number(declared),
    maxPdfBytes,
  );
  if ('source' in fields || 'destination' in fields) return { mode: 'storage', fields };

  rejectUnknownFields(fields, ['pdf', ...sealOptionNames], 'field');
  if (!pdf) throw new InvalidRequestError('pdf', 'expected the PDF as a base64 string');
  return {
    mode: 'direct',
    pdf: pdf.chunks,
    sizeBytes: pdf.size,
    options: parseSealOptions(fields),
    responseFormat: 'json',
    hashedOriginal: pdf.hasher,
  };
}
