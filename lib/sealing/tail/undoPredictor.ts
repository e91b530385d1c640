import { DamagedPdfError } from '../errors/DamagedPdfError.js';
import { UnsupportedPdfError } from '../errors/UnsupportedPdfError.js';

/** The `/DecodeParms` of a Flate stream that shape its predictor (ISO 32000-1, table 8). */
export interface PredictorParameters {
  /** 1 none, 2 TIFF, 10 to 15 PNG. */
  readonly predictor: number;
  readonly colors: number;
  readonly bitsPerComponent: number;
  readonly columns: number;
}

/**
 * Reverses the predictor a writer applied before compressing, as xref streams usually use (PNG
 * "Up" over rows of one entry). `objectNumber` only names the stream in errors.
 */
export function undoPredictor(
  data: Uint8Array,
  parameters: PredictorParameters,
  objectNumber: number,
): Uint8Array {
  const { predictor, colors, bitsPerComponent, columns } = parameters;
  if (predictor === 1) return data;
  const bytesPerPixel = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8));
  const rowLength = Math.ceil((colors * bitsPerComponent * columns) / 8);
  if (predictor === 2) {
    if (bitsPerComponent !== 8) {
      throw new UnsupportedPdfError(
        `a TIFF predictor on ${bitsPerComponent}-bit data (object ${objectNumber})`,
      );
    }
    return undoTiffPredictor(data, rowLength, bytesPerPixel);
  }
  if (predictor >= 10 && predictor <= 15)
    return undoPngPredictor(data, rowLength, bytesPerPixel, objectNumber);
  throw new UnsupportedPdfError(`predictor ${predictor} (object ${objectNumber})`);
}

function undoTiffPredictor(data: Uint8Array, rowLength: number, bytesPerPixel: number): Uint8Array {
  const out = Uint8Array.from(data);
  for (let rowStart = 0; rowStart < out.length; rowStart += rowLength) {
    const rowEnd = Math.min(rowStart + rowLength, out.length);
    for (let i = rowStart + bytesPerPixel; i < rowEnd; i += 1) {
      out[i] = ((out[i] ?? 0) + (out[i - bytesPerPixel] ?? 0)) & 0xff;
    }
  }
  return out;
}

// Each row is one filter-type byte then `rowLength` bytes (PNG specification, section 9).
function undoPngPredictor(
  data: Uint8Array,
  rowLength: number,
  bytesPerPixel: number,
  objectNumber: number,
): Uint8Array {
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let row = 0; row < rows; row += 1) {
    const filterType = data[row * (rowLength + 1)];
    const input = row * (rowLength + 1) + 1;
    const start = row * rowLength;
    for (let i = 0; i < rowLength; i += 1) {
      const raw = data[input + i] ?? 0;
      const left = i >= bytesPerPixel ? (out[start + i - bytesPerPixel] ?? 0) : 0;
      const up = row > 0 ? (out[start - rowLength + i] ?? 0) : 0;
      const upLeft =
        row > 0 && i >= bytesPerPixel ? (out[start - rowLength + i - bytesPerPixel] ?? 0) : 0;
      out[start + i] = (raw + predict(filterType, left, up, upLeft, objectNumber)) & 0xff;
    }
  }
  return out;
}

function predict(
  filterType: number | undefined,
  left: number,
  up: number,
  upLeft: number,
  objectNumber: number,
): number {
  switch (filterType) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4:
      return paeth(left, up, upLeft);
    default:
      throw new DamagedPdfError(
        `object ${objectNumber} has a PNG row filter type other than 0 to 4`,
      );
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}
