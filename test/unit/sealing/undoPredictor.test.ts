import assert from 'node:assert/strict';
import { test } from 'node:test';

import { undoPredictor } from '../../../lib/sealing/tail/undoPredictor.js';

const rows = [
  [10, 20, 30, 40, 50, 60],
  [11, 22, 33, 44, 55, 66],
  [200, 100, 250, 5, 0, 255],
];
const bytesPerPixel = 2;

// The PNG filters (PNG specification, section 9), applied forward to make test input.
function pngEncode(filterType: number): Uint8Array {
  const out: number[] = [];
  rows.forEach((row, r) => {
    out.push(filterType);
    row.forEach((value, i) => {
      const left = i >= bytesPerPixel ? (row[i - bytesPerPixel] ?? 0) : 0;
      const up = rows[r - 1]?.[i] ?? 0;
      const upLeft = i >= bytesPerPixel ? (rows[r - 1]?.[i - bytesPerPixel] ?? 0) : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return a <= b && a <= c ? left : b <= c ? up : upLeft;
      };
      const predicted = [0, left, up, (left + up) >> 1, paeth()][filterType] ?? 0;
      out.push((value - predicted) & 0xff);
    });
  });
  return Uint8Array.from(out);
}

const parameters = { predictor: 12, colors: 2, bitsPerComponent: 8, columns: 3 };

test('each PNG row filter is undone', () => {
  for (const filterType of [0, 1, 2, 3, 4]) {
    assert.deepEqual(
      [...undoPredictor(pngEncode(filterType), parameters, 1)],
      rows.flat(),
      `type ${filterType}`,
    );
  }
});

test('the TIFF predictor adds each byte to the one a pixel before', () => {
  const encoded = Uint8Array.from([1, 2, 1, 1, 1, 1]);
  assert.deepEqual(
    [...undoPredictor(encoded, { ...parameters, predictor: 2 }, 1)],
    [1, 2, 2, 3, 3, 4],
  );
});

test('an unknown PNG row filter is PDF_DAMAGED', () => {
  assert.throws(() => undoPredictor(Uint8Array.from([9, 1, 2, 3, 4, 5, 6]), parameters, 7), {
    code: 'PDF_DAMAGED',
    message:
      'The PDF is damaged: object 7 has a PNG row filter type other than 0 to 4; repair it (for example with `qpdf in.pdf out.pdf`) and send it again.',
  });
});
