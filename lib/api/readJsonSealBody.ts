import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { ByteRangeHasher } from '../sealing/ByteRangeHasher.js';
import { InvalidRequestError, MalformedJsonError, PdfTooLargeError } from './errors.js';
import { limitBody } from './readBodyWithin.js';

/** A PDF that arrived in base64 in a JSON body, decoded while it arrived. */
export interface DecodedPdf {
  /** The PDF's bytes, in the pieces they were decoded in. */
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
  /** Has seen exactly `chunks`, so the document is not read again for the digest. */
  readonly hasher: ByteRangeHasher;
}

/** A seal-pdf JSON body: every field but `pdf` as JSON.parse gives it, and `pdf` decoded. */
export interface JsonSealBody {
  readonly fields: Readonly<Record<string, unknown>>;
  /** Present when the top-level `pdf` field was a non-empty string of valid base64. */
  readonly pdf?: DecodedPdf;
}

/** Room in a JSON body for the options and the JSON syntax around the base64. */
const jsonOverheadBytes = 64 * 1024;
/**
 * Body bytes turned into text at once, and base64 characters decoded at once (the PDF is held in
 * pieces of 3/4 of this). Strings this short stay in V8's young generation and die there; strings
 * of a MiB go to its large-object space and linger until a full collection, which cost a third
 * more peak memory on a 50 MB PDF.
 */
const pieceBytes = 64 * 1024;
const base64Message = 'expected standard base64 (A-Z, a-z, 0-9, +, /, = padding)';

/** Largest JSON body a request may send: a PDF of `maxPdfBytes` in base64, and the options. */
export function jsonBodyLimit(maxPdfBytes: number): number {
  return Math.ceil(maxPdfBytes / 3) * 4 + jsonOverheadBytes;
}

/**
 * Reads a JSON object body as it arrives, never holding it whole. The top-level `pdf` string is
 * decoded from base64 piece by piece and hashed on the way, so a 50 MB PDF costs its decoded
 * bytes and not the body, a string of it and a parsed copy besides; every other field is
 * assembled as JSON.parse would. Duplicate top-level fields are refused rather than resolved.
 *
 * @throws PdfTooLargeError when the body, or the PDF decoded so far, is over the limit (as soon
 *   as that shows, before the rest is read); MalformedJsonError when it is not one JSON object;
 *   InvalidRequestError when `pdf` is not valid base64 or a field is repeated
 */
export async function readJsonSealBody(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: number | undefined,
  maxPdfBytes: number,
): Promise<JsonSealBody> {
  const tooLarge = (length?: number) => new PdfTooLargeError(maxPdfBytes, length);
  const chunks = limitBody(body, declaredLength, jsonBodyLimit(maxPdfBytes), tooLarge);
  const reader = new SealBodyReader(maxPdfBytes);
  const text = new TextDecoder('utf-8', { fatal: true });
  const parse = jsonParser({
    packKeys: true,
    streamKeys: false,
    packStrings: false,
    streamStrings: true,
    packNumbers: true,
    streamNumbers: false,
  });
  // A flushable stage takes text, and `none` once the text has ended (stream-chain's contract).
  const step = parse as (input: string | typeof none) => unknown;
  const tokens = (input: string | typeof none): Token[] => {
    let result: unknown;
    try {
      result = step(input);
    } catch {
      throw new MalformedJsonError();
    }
    if (result === none) return [];
    return isMany(result) ? (getManyValues(result) as Token[]) : [result as Token];
  };

  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? text.decode(chunk, { stream: true }) : text.decode();
    } catch {
      throw new MalformedJsonError();
    }
  };

  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.byteLength; offset += pieceBytes) {
      const piece = chunk.subarray(offset, offset + pieceBytes);
      for (const token of tokens(decode(piece))) reader.take(token);
    }
  }
  for (const token of [...tokens(decode()), ...tokens(none)]) reader.take(token);
  return reader.result();
}

/** Takes the parser's tokens: assembles the fields, and decodes the top-level `pdf` string. */
class SealBodyReader {
  readonly #assembler = new Assembler();
  readonly #maxPdfBytes: number;
  readonly #seen = new Set<string>();
  #key: string | undefined;
  /** The parts of a string other than the PDF, joined when it ends. */
  #parts: string[] | undefined;
  #pdf: Base64Decoder | undefined;
  #decodingPdf = false;

  constructor(maxPdfBytes: number) {
    this.#maxPdfBytes = maxPdfBytes;
  }

  take(token: Token): void {
    const assembler = this.#assembler;
    if (assembler.depth === 0 && token.name !== 'startObject') throw new MalformedJsonError();
    switch (token.name) {
      case 'keyValue':
        if (assembler.depth === 1) {
          if (this.#seen.has(token.value)) {
            throw new InvalidRequestError(token.value.slice(0, 64), 'given more than once');
          }
          this.#seen.add(token.value);
          this.#key = token.value;
        }
        assembler.consume(token);
        return;
      case 'startString':
        if (assembler.depth === 1 && this.#key === 'pdf') {
          this.#pdf = new Base64Decoder(this.#maxPdfBytes);
          this.#decodingPdf = true;
        } else {
          this.#parts = [];
        }
        return;
      case 'stringChunk':
        if (this.#decodingPdf) this.#pdf?.write(token.value);
        else this.#parts?.push(token.value);
        return;
      case 'endString':
        if (this.#decodingPdf) {
          this.#decodingPdf = false;
          this.#pdf?.end();
          // The assembled fields keep a placeholder: the PDF itself is in the decoder.
          assembler.consume({ name: 'stringValue', value: '' });
        } else {
          assembler.consume({ name: 'stringValue', value: (this.#parts ?? []).join('') });
          this.#parts = undefined;
        }
        return;
      default:
        assembler.consume(token);
    }
  }

  result(): JsonSealBody {
    const fields = this.#assembler.current as Record<string, unknown> | null;
    if (!this.#assembler.done || fields === null) throw new MalformedJsonError();
    const pdf = this.#pdf?.result();
    return pdf ? { fields, pdf } : { fields };
  }
}

/**
 * Decodes standard base64 that arrives in pieces of any length, checking every character, in
 * pieces of about {@link pieceBytes}: padding is only accepted at the very end.
 */
class Base64Decoder {
  readonly #maxBytes: number;
  readonly #hasher = new ByteRangeHasher();
  readonly #chunks: Uint8Array[] = [];
  #size = 0;
  #pending: string[] = [];
  #pendingLength = 0;
  #characters = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  write(text: string): void {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    this.#characters += text.length;
    if (Math.floor(this.#characters / 4) * 3 > this.#maxBytes + 2) {
      throw new PdfTooLargeError(this.#maxBytes);
    }
    // The last few characters wait for the end: padding is valid only there.
    if (this.#pendingLength >= pieceBytes + 4) this.#decode(false);
  }

  end(): void {
    if (this.#characters === 0) {
      throw new InvalidRequestError('pdf', 'expected the PDF as a base64 string');
    }
    if (this.#characters % 4 !== 0) throw new InvalidRequestError('pdf', base64Message);
    this.#decode(true);
    if (this.#size > this.#maxBytes) throw new PdfTooLargeError(this.#maxBytes, this.#size);
  }

  result(): DecodedPdf | undefined {
    return this.#size > 0
      ? { chunks: this.#chunks, size: this.#size, hasher: this.#hasher }
      : undefined;
  }

  #decode(final: boolean): void {
    const text = this.#pending.join('');
    const count = final ? text.length : text.length - 4 - ((text.length - 4) % 4);
    const piece = text.slice(0, count);
    const bytes = Buffer.from(piece, 'base64');
    // Node's decoder skips what is not base64 and stops at padding, so any stray character
    // shows as missing bytes; it also takes the URL alphabet, which standard base64 is not.
    const padding = final ? piece.length - piece.replace(/={1,2}$/, '').length : 0;
    const expected = (piece.length / 4) * 3 - padding;
    if (bytes.byteLength !== expected || piece.includes('-') || piece.includes('_')) {
      throw new InvalidRequestError('pdf', base64Message);
    }
    if (bytes.byteLength > 0) {
      this.#chunks.push(bytes);
      this.#hasher.update(bytes);
      this.#size += bytes.byteLength;
    }
    const rest = text.slice(count);
    this.#pending = rest ? [rest] : [];
    this.#pendingLength = rest.length;
  }
}
