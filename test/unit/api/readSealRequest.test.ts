import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { readSealRequest, type SealRequest } from '../../../lib/api/readSealRequest.js';
import { ByteRangeHasher } from '../../../lib/sealing/ByteRangeHasher.js';
import { chunkSource } from '../../../lib/sealing/PdfSource.js';
import { planIncrementalSeal } from '../../../lib/sealing/planIncrementalSeal.js';

const maxPdfBytes = 1024 * 1024;

/** A JSON request whose body arrives in pieces of `pieceBytes` (all of it at once by default). */
function jsonRequest(body: string | Buffer, pieceBytes?: number, declare = true) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const size = pieceBytes ?? Math.max(bytes.length, 1);
  let delivered = 0;
  async function* pieces() {
    for (let offset = 0; offset < bytes.length; offset += size) {
      // As from a socket: each piece arrives on a later turn.
      await new Promise(setImmediate);
      delivered += 1;
      yield bytes.subarray(offset, offset + size);
    }
  }
  const headers = new Headers({ 'content-type': 'application/json' });
  if (declare) headers.set('content-length', String(bytes.length));
  const request = {
    headers,
    query: new URLSearchParams(),
    body: pieces() as unknown as ReadableStream,
  };
  return { request, delivered: () => delivered };
}

const read = (body: string | Buffer, pieceBytes?: number) =>
  readSealRequest(jsonRequest(body, pieceBytes).request, maxPdfBytes);

function direct(request: SealRequest) {
  assert.equal(request.mode, 'direct');
  if (request.mode !== 'direct') throw new Error('unreachable');
  return request;
}

describe('readSealRequest with a JSON body', () => {
  it('decodes the PDF piece by piece, hashes it on the way and reads the options', async () => {
    const document = await PDFDocument.create();
    document.addPage();
    const original = Buffer.from(await document.save({ useObjectStreams: false }));
    const body = JSON.stringify({
      reason: 'Archived — ok',
      pdf: original.toString('base64'),
      timestamp: true,
    });
    const request = direct(await read(body, 1000));

    assert.ok(Buffer.concat(request.pdf).equals(original));
    assert.equal(request.sizeBytes, original.length);
    assert.equal(request.responseFormat, 'json');
    assert.equal(request.options.reason, 'Archived — ok');
    assert.equal(request.options.timestamp, true);
    // The hasher fed while decoding gives the digest of the original read in one piece.
    const plan = await planIncrementalSeal(chunkSource([original]), { signingTime: new Date(0) });
    const whole = new ByteRangeHasher(plan);
    whole.update(original);
    whole.update(plan.update);
    request.hashedOriginal.withPlan(plan).update(plan.update);
    assert.ok(Buffer.from(request.hashedOriginal.digest()).equals(Buffer.from(whole.digest())));
  });

  it('reads the same request whatever pieces the body arrives in', async () => {
    // Escaped slashes, a multi-byte character and a \u escape, cut at every point by 7-byte pieces.
    const small = randomBytes(3000);
    const body =
      `{ "location" : "M\\u00fcnchen", "contactInfo":"ü@example.com",\n "pdf":"` +
      `${small.toString('base64').replaceAll('/', '\\/')}" }`;
    for (const pieceBytes of [1, 7, 4096]) {
      const request = direct(await read(body, pieceBytes));
      assert.ok(Buffer.concat(request.pdf).equals(small), `pieces of ${String(pieceBytes)}`);
      assert.equal(request.options.location, 'München');
      assert.equal(request.options.contactInfo, 'ü@example.com');
    }
  });

  it('hands storage requests over with their fields as JSON.parse gives them', async () => {
    const fields = {
      source: { container: 'documents', blob: 'a.pdf', pdf: 'not decoded in here' },
      destination: { container: 'sealed', blob: 'a.pdf' },
      overwrite: true,
      note: [1, 2.5, null, 'x'],
    };
    assert.deepEqual(await read(JSON.stringify(fields), 5), { mode: 'storage', fields });
  });

  const malformed = [
    'MALFORMED_JSON',
    'The request body is not valid JSON; send a JSON object or a raw application/pdf body.',
  ];
  const notBase64 = [
    'INVALID_REQUEST',
    'The field "pdf" is invalid: expected standard base64 (A-Z, a-z, 0-9, +, /, = padding).',
  ];
  const noPdf = [
    'INVALID_REQUEST',
    'The field "pdf" is invalid: expected the PDF as a base64 string.',
  ];
  const refusals: [string, string, string[]][] = [
    ['a truncated body', '{"pdf":"JVBE', malformed],
    ['text after the object', '{"pdf":"JVBERi0="} {}', malformed],
    ['an array', '["JVBERi0="]', malformed],
    ['a bare string', '"JVBERi0="', malformed],
    ['an empty body', '', malformed],
    ['invalid UTF-8', '{"reason":"\xff"}', malformed],
    ['a character outside base64', '{"pdf":"JVBE%%%%"}', notBase64],
    ['the URL-safe alphabet', '{"pdf":"JV-_"}', notBase64],
    ['a length not a multiple of 4', '{"pdf":"JVBERi0"}', notBase64],
    ['padding in the middle', '{"pdf":"JV==JVBE"}', notBase64],
    ['an escaped newline', '{"pdf":"JVBE\\nRi0="}', notBase64],
    ['an empty PDF', '{"pdf":""}', noPdf],
    ['a PDF that is a number', '{"pdf":12}', noPdf],
    ['no PDF', '{"reason":"x"}', noPdf],
    [
      'an unknown field',
      '{"pdf":"JVBERi0=","reasn":"x"}',
      [
        'INVALID_REQUEST',
        'The field "reasn" is invalid: no such field; known: pdf, reason, location, ' +
          'contactInfo, fieldName, timestamp, subFilter.',
      ],
    ],
    [
      'a field given twice',
      '{"pdf":"JVBE","pdf":"JVBE"}',
      ['INVALID_REQUEST', 'The field "pdf" is invalid: given more than once.'],
    ],
    [
      'a bad option',
      '{"pdf":"JVBERi0=","timestamp":"yes"}',
      ['INVALID_REQUEST', 'The field "timestamp" is invalid: expected true or false.'],
    ],
  ];
  for (const [what, body, [code, message]] of refusals) {
    it(`refuses ${what} with ${code ?? ''}`, async () => {
      await assert.rejects(read(Buffer.from(body, 'latin1'), 3), { code, message });
    });
  }

  it('refuses a PDF over the limit as soon as the decoded size shows it, without reading on', async () => {
    // Within the body limit (which leaves room for options), but decoding to more than the PDF's.
    const big = Buffer.alloc(maxPdfBytes + 30_000, 0x41).toString('base64');
    const body = `{"pdf":"${big}"}`;
    const { request, delivered } = jsonRequest(body, 4096, false);
    await assert.rejects(readSealRequest(request, maxPdfBytes), {
      code: 'PDF_TOO_LARGE',
      message: `The PDF is too large for direct mode: more where at most ${String(maxPdfBytes)} bytes are accepted; use storage mode for larger files.`,
    });
    assert.ok(delivered() < Math.ceil(body.length / 4096) - 5, 'stopped before the end');
  });

  it('refuses a body whose declared length is over the limit before reading it', async () => {
    const { request, delivered } = jsonRequest('{}');
    request.headers.set('content-length', String(maxPdfBytes * 2));
    await assert.rejects(readSealRequest(request, maxPdfBytes), { code: 'PDF_TOO_LARGE' });
    assert.equal(delivered(), 0);
  });

  it('accepts a PDF of exactly the limit, padding included', async () => {
    const exact = randomBytes(maxPdfBytes);
    const request = direct(await read(`{"pdf":"${exact.toString('base64')}"}`, 100_000));
    assert.equal(request.sizeBytes, maxPdfBytes);
    assert.ok(Buffer.concat(request.pdf).equals(exact));
  });
});
