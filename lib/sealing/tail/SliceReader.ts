import type { PDFContext, PDFObject } from 'pdf-lib';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRef,
  PDFString,
} from 'pdf-lib';

/** Thrown when a slice ends inside the syntax being read: read a longer slice and try again. */
export class SliceTooShort extends Error {}

/** Thrown when the bytes are not PDF syntax; `offset` is relative to the slice. */
export class SyntaxProblem extends Error {
  constructor(readonly offset: number) {
    super(`PDF syntax error at slice offset ${offset}`);
  }
}

const isWhitespace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0;
const isDelimiter = (byte: number): boolean =>
  byte === 0x28 ||
  byte === 0x29 ||
  byte === 0x3c ||
  byte === 0x3e ||
  byte === 0x5b ||
  byte === 0x5d ||
  byte === 0x7b ||
  byte === 0x7d ||
  byte === 0x2f ||
  byte === 0x25;
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const isRegular = (byte: number): boolean => !isWhitespace(byte) && !isDelimiter(byte);
const latin1 = new TextDecoder('latin1');

/**
 * Reads PDF syntax (ISO 32000-1, 7.2 and 7.3) from one slice of a file into pdf-lib's object
 * model. A slice cut short throws {@link SliceTooShort} unless it is the end of the file
 * (`atEndOfFile`), so callers can read a little and grow the slice only when an object is larger.
 * Stream data is never read: {@link readStreamStart} only says where it starts.
 */
export class SliceReader {
  /** Where the reader stands in the slice. */
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly context: PDFContext,
    private readonly atEndOfFile: boolean,
    start = 0,
  ) {
    this.position = start;
  }

  /** Reads one direct object: dictionary, array, string, name, number, reference, bool or null. */
  readObject(): PDFObject {
    this.skipWhitespace();
    const byte = this.peek();
    if (byte === 0x3c) return this.peekAt(1) === 0x3c ? this.readDict() : this.readHexString();
    if (byte === 0x28) return this.readLiteralString();
    if (byte === 0x2f) return this.readName();
    if (byte === 0x5b) return this.readArray();
    if (isDigit(byte) || byte === 0x2b || byte === 0x2d || byte === 0x2e) {
      return this.readNumberOrRef();
    }
    const start = this.position;
    const word = this.readWord();
    if (word === 'true') return PDFBool.True;
    if (word === 'false') return PDFBool.False;
    if (word === 'null') return PDFNull;
    throw new SyntaxProblem(start);
  }

  /** Reads a non-negative integer, if one comes next; otherwise stays put. */
  readInteger(): number | undefined {
    this.skipWhitespace();
    if (!isDigit(this.peekOrEnd())) return undefined;
    let value = 0;
    while (this.position < this.bytes.length && isDigit(this.bytes[this.position] ?? 0)) {
      value = value * 10 + (this.bytes[this.position] ?? 0) - 0x30;
      this.position += 1;
    }
    this.requireMore();
    return value;
  }

  /** Consumes the keyword `word` if it comes next as a whole token; otherwise stays put. */
  readKeyword(word: string): boolean {
    this.skipWhitespace();
    const start = this.position;
    const next = this.peekOrEnd();
    if (next < 0 || !isRegular(next)) return false;
    if (this.readWord() === word) return true;
    this.position = start;
    return false;
  }

  /** Skips whitespace and comments, then consumes and returns the next byte. */
  readByte(): number {
    this.skipWhitespace();
    const byte = this.peek();
    this.position += 1;
    return byte;
  }

  /** Reads `N G obj`, the header of an indirect object, if it comes next. */
  readObjectHeader(): { objectNumber: number; generation: number } | undefined {
    const start = this.position;
    const objectNumber = this.readInteger();
    const generation = objectNumber === undefined ? undefined : this.readInteger();
    if (objectNumber !== undefined && generation !== undefined && this.readKeyword('obj')) {
      return { objectNumber, generation };
    }
    this.position = start;
    return undefined;
  }

  /**
   * After a dictionary: consumes the `stream` keyword and its end of line and returns where the
   * data starts, or returns undefined (and stays put) when no stream follows.
   */
  readStreamStart(): number | undefined {
    if (!this.readKeyword('stream')) return undefined;
    // The spec wants CRLF or LF after the keyword; a lone CR is written by some tools.
    if (this.peekOrEnd() === 0x0d) this.position += 1;
    if (this.peekOrEnd() === 0x0a) this.position += 1;
    return this.position;
  }

  /** Skips whitespace and comments. */
  skipWhitespace(): void {
    while (this.position < this.bytes.length) {
      const byte = this.bytes[this.position] ?? 0;
      if (byte === 0x25) {
        while (this.position < this.bytes.length && !this.isEndOfLine(this.position)) {
          this.position += 1;
        }
      } else if (isWhitespace(byte)) {
        this.position += 1;
      } else {
        return;
      }
    }
  }

  private readDict(): PDFDict {
    this.position += 2;
    const entries = new Map<PDFName, PDFObject>();
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === 0x3e) {
        if (this.peekAt(1) !== 0x3e) throw new SyntaxProblem(this.position);
        this.position += 2;
        return PDFDict.fromMapWithContext(entries, this.context);
      }
      if (this.peek() !== 0x2f) throw new SyntaxProblem(this.position);
      const key = this.readName();
      const value = this.readObject();
      // A null value means the key is absent (ISO 32000-1, 7.3.7).
      if (value !== PDFNull) entries.set(key, value);
    }
  }

  private readArray(): PDFArray {
    this.position += 1;
    const array = PDFArray.withContext(this.context);
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === 0x5d) {
        this.position += 1;
        return array;
      }
      array.push(this.readObject());
    }
  }

  private readName(): PDFName {
    this.position += 1;
    const start = this.position;
    while (this.position < this.bytes.length && isRegular(this.bytes[this.position] ?? 0)) {
      this.position += 1;
    }
    this.requireMore();
    return PDFName.of(latin1.decode(this.bytes.subarray(start, this.position)));
  }

  private readHexString(): PDFHexString {
    this.position += 1;
    const start = this.position;
    while (this.peek() !== 0x3e) this.position += 1;
    const text = latin1.decode(this.bytes.subarray(start, this.position)).replace(/\s+/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(text)) throw new SyntaxProblem(start);
    this.position += 1;
    return PDFHexString.of(text);
  }

  // The content is kept as written, escapes included, so that rewriting an object reproduces it.
  private readLiteralString(): PDFString {
    this.position += 1;
    const start = this.position;
    let depth = 1;
    for (;;) {
      const byte = this.peek();
      if (byte === 0x5c) {
        this.position += 1;
        this.peek();
      } else if (byte === 0x28) {
        depth += 1;
      } else if (byte === 0x29) {
        depth -= 1;
        if (depth === 0) break;
      }
      this.position += 1;
    }
    const text = latin1.decode(this.bytes.subarray(start, this.position));
    this.position += 1;
    return PDFString.of(text);
  }

  private readNumberOrRef(): PDFNumber | PDFRef {
    const start = this.position;
    const text = this.readWord();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) throw new SyntaxProblem(start);
    if (/^\d+$/.test(text)) {
      const afterNumber = this.position;
      const generation = this.readInteger();
      if (generation !== undefined && this.readKeyword('R')) {
        return PDFRef.of(Number(text), generation);
      }
      this.position = afterNumber;
    }
    return PDFNumber.of(Number(text));
  }

  private readWord(): string {
    const start = this.position;
    while (this.position < this.bytes.length && isRegular(this.bytes[this.position] ?? 0)) {
      this.position += 1;
    }
    this.requireMore();
    return latin1.decode(this.bytes.subarray(start, this.position));
  }

  private isEndOfLine(position: number): boolean {
    const byte = this.bytes[position];
    return byte === 0x0a || byte === 0x0d;
  }

  // A token that runs to the end of a slice may continue beyond it.
  private requireMore(): void {
    if (this.position >= this.bytes.length && !this.atEndOfFile) throw new SliceTooShort();
  }

  private peek(): number {
    return this.peekAt(0);
  }

  // Like peek, but -1 at the end of the file instead of a syntax error.
  private peekOrEnd(): number {
    if (this.position >= this.bytes.length && this.atEndOfFile) return -1;
    return this.peek();
  }

  private peekAt(ahead: number): number {
    const byte = this.bytes[this.position + ahead];
    if (byte !== undefined) return byte;
    if (this.atEndOfFile) throw new SyntaxProblem(this.position + ahead);
    throw new SliceTooShort();
  }
}
