import { constants, inflateSync } from 'node:zlib';
import type { PDFObject } from 'pdf-lib';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';

import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import { UnsupportedPdfError } from '../errors/UnsupportedPdfError.js';
import { undoPredictor } from './undoPredictor.js';

// Xref and object streams of a multi-gigabyte file decode to tens of megabytes; this bounds what
// a malicious "zip bomb" stream can make us allocate.
const maxDecodedBytes = 256 * 1024 * 1024;

/**
 * Decodes the data of an xref stream or object stream: FlateDecode with or without a predictor,
 * or no filter. `objectNumber` only names the stream in errors.
 *
 * NOTE: other filters (LZW, ASCII85, ...) are refused with PDF_UNSUPPORTED. Writers use Flate for
 * these two kinds of stream in practice; a file that does not can be rewritten with qpdf.
 */
export function decodeStreamData(
  dict: PDFDict,
  data: Uint8Array,
  objectNumber: number,
): Uint8Array {
  const filters = asList(dict.get(PDFName.of('Filter')));
  const parameters = asList(dict.get(PDFName.of('DecodeParms')));
  let decoded = data;
  filters.forEach((filter, index) => {
    if (filter !== PDFName.of('FlateDecode')) {
      throw new UnsupportedPdfError(
        `a stream filter other than FlateDecode on object ${objectNumber}`,
      );
    }
    decoded = inflate(decoded, objectNumber);
    const parameter = parameters[index];
    if (parameter instanceof PDFRef) {
      throw new UnsupportedPdfError(
        `decode parameters given by reference on object ${objectNumber}`,
      );
    }
    if (parameter instanceof PDFDict) {
      decoded = undoPredictor(
        decoded,
        {
          predictor: numberIn(parameter, 'Predictor', 1),
          colors: numberIn(parameter, 'Colors', 1),
          bitsPerComponent: numberIn(parameter, 'BitsPerComponent', 8),
          columns: numberIn(parameter, 'Columns', 1),
        },
        objectNumber,
      );
    }
  });
  return decoded;
}

function inflate(data: Uint8Array, objectNumber: number): Uint8Array {
  try {
    // Sync flush accepts streams whose end is missing or padded, as many writers produce.
    return inflateSync(data, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: maxDecodedBytes,
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnsupportedPdfError(
        `object ${objectNumber} decompresses to more than ${maxDecodedBytes} bytes`,
      );
    }
    throw new DamagedPdfError(`the Flate data of object ${objectNumber} cannot be decompressed`);
  }
}

function asList(value: PDFObject | undefined): (PDFObject | undefined)[] {
  if (value === undefined) return [];
  return value instanceof PDFArray ? value.asArray() : [value];
}

function numberIn(dict: PDFDict, key: string, fallback: number): number {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : fallback;
}
