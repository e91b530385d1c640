import type { HttpRequest } from '@azure/functions';
import { PdfTooLargeError } from './errors.js';
import {
  directSealRequestFromJson,
  jsonBodyLimit,
  readDirectSealRequest,
  type DirectSealRequest,
} from './readDirectSealRequest.js';
import { readJsonObject } from './readJsonObject.js';

/** A seal-pdf request: direct mode, read and checked, or storage mode, read but not yet checked. */
export type SealRequest =
  | ({ readonly mode: 'direct' } & DirectSealRequest)
  | { readonly mode: 'storage'; readonly fields: Readonly<Record<string, unknown>> };

/**
 * Reads a seal-pdf request, reading its body once, and tells the modes apart: a JSON body that
 * names a `source` or a `destination` blob is storage mode; anything else is direct mode.
 * Storage fields are checked by `readStorageSealRequest`, so that a refused storage request is
 * reported as one.
 */
export async function readSealRequest(
  request: HttpRequest,
  maxPdfBytes: number,
): Promise<SealRequest> {
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim();
  if (contentType?.toLowerCase() !== 'application/json') {
    return { mode: 'direct', ...(await readDirectSealRequest(request, maxPdfBytes)) };
  }
  const declared = request.headers.get('content-length');
  const fields = await readJsonObject(
    request.body,
    declared === null ? undefined : Number(declared),
    jsonBodyLimit(maxPdfBytes),
    () => new PdfTooLargeError(maxPdfBytes),
  );
  if ('source' in fields || 'destination' in fields) return { mode: 'storage', fields };
  return { mode: 'direct', ...directSealRequestFromJson(fields, maxPdfBytes) };
}
