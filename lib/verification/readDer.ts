/** One DER element, as views into the bytes it was read from (no copies). */
export interface DerNode {
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  /** Offset of the identifier octet in the input. */
  readonly start: number;
  /** The whole element: identifier, length and content. */
  readonly encoded: Uint8Array;
  /** The content octets only. */
  readonly value: Uint8Array;
  /** The elements inside a constructed element; empty for a primitive one. */
  readonly children: readonly DerNode[];
}

/** The input is not DER: the offset says where reading stopped. */
export class DerParseError extends Error {
  readonly offset: number;

  constructor(offset: number, problem: string) {
    super(`Not DER at byte ${String(offset)}: ${problem}.`);
    this.name = 'DerParseError';
    this.offset = offset;
  }
}

const maxDepth = 32;

/**
 * Reads the DER element that starts at `offset`, with every element nested in it. Only the subset
 * CMS and X.509 use: low tag numbers and definite lengths; BER's indefinite length is refused.
 */
export function readDer(bytes: Uint8Array, offset = 0): DerNode {
  return readElement(bytes, offset, bytes.byteLength, 0);
}

/** Reads an element that must fill `bytes` exactly, with nothing before or after it. */
export function readWholeDer(bytes: Uint8Array): DerNode {
  const node = readDer(bytes);
  if (node.encoded.byteLength !== bytes.byteLength) {
    throw new DerParseError(node.encoded.byteLength, 'bytes follow the outer element');
  }
  return node;
}

function readElement(bytes: Uint8Array, offset: number, limit: number, depth: number): DerNode {
  if (depth > maxDepth) throw new DerParseError(offset, 'nesting is too deep');
  const tag = byteAt(bytes, offset, limit);
  if ((tag & 0x1f) === 0x1f) throw new DerParseError(offset, 'high tag numbers are not supported');

  const { length, contentStart } = readLength(bytes, offset + 1, limit);
  const end = contentStart + length;
  if (end > limit) throw new DerParseError(offset, 'the length runs past the enclosing element');

  const children: DerNode[] = [];
  if ((tag & 0x20) !== 0) {
    let position = contentStart;
    while (position < end) {
      const child = readElement(bytes, position, end, depth + 1);
      children.push(child);
      position += child.encoded.byteLength;
    }
  }
  return {
    tag,
    start: offset,
    encoded: bytes.subarray(offset, end),
    value: bytes.subarray(contentStart, end),
    children,
  };
}

function readLength(
  bytes: Uint8Array,
  offset: number,
  limit: number,
): { length: number; contentStart: number } {
  const first = byteAt(bytes, offset, limit);
  if (first < 0x80) return { length: first, contentStart: offset + 1 };
  if (first === 0x80) throw new DerParseError(offset, 'indefinite lengths are BER, not DER');

  const count = first & 0x7f;
  if (count > 4) throw new DerParseError(offset, 'the length does not fit in 32 bits');
  let length = 0;
  for (let index = 1; index <= count; index += 1) {
    length = length * 256 + byteAt(bytes, offset + index, limit);
  }
  return { length, contentStart: offset + 1 + count };
}

function byteAt(bytes: Uint8Array, offset: number, limit: number): number {
  const value = offset < limit ? bytes[offset] : undefined;
  if (value === undefined) throw new DerParseError(offset, 'the input ends inside an element');
  return value;
}
