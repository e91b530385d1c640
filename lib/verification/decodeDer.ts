import { DerParseError } from './readDer.js';
import type { DerNode } from './readDer.js';

/** DER identifier octets used by CMS, X.509 and RFC 3161. */
export const DerTag = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
  /** `[0]` constructed, as CMS uses for IMPLICIT and EXPLICIT tagging. */
  context0: 0xa0,
  context1: 0xa1,
  /** `[3]` constructed: a certificate's extensions. */
  context3: 0xa3,
  /** `[4]` constructed: a GeneralName's directoryName. */
  context4: 0xa4,
  /** `[0]` primitive. */
  context0Primitive: 0x80,
} as const;

/** The child at `index`, which must exist. */
export function childAt(node: DerNode, index: number): DerNode {
  const child = node.children[index];
  if (child === undefined) {
    throw new DerParseError(node.start, `element ${String(index)} is missing`);
  }
  return child;
}

export function expectTag(node: DerNode, tag: number): DerNode {
  if (node.tag !== tag) {
    throw new DerParseError(
      node.start,
      `expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`,
    );
  }
  return node;
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function decodeOid(node: DerNode): string {
  const value = expectTag(node, DerTag.oid).value;
  const arcs: bigint[] = [];
  let arc = 0n;
  for (const byte of value) {
    arc = (arc << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0n;
    }
  }
  const first = arcs.shift();
  if (first === undefined) throw new DerParseError(node.start, 'the object identifier is empty');
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** An INTEGER's content octets as lower-case hex, with DER's sign padding removed. */
export function decodeIntegerHex(node: DerNode): string {
  const value = expectTag(node, DerTag.integer).value;
  const start = value.byteLength > 1 && value[0] === 0 ? 1 : 0;
  return Buffer.from(value.subarray(start)).toString('hex');
}

/** A GeneralizedTime or UTCTime, in UTC. */
export function decodeTime(node: DerNode): Date {
  const text = Buffer.from(node.value).toString('latin1');
  const generalized = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  const utc = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const match =
    node.tag === DerTag.generalizedTime ? generalized : node.tag === DerTag.utcTime ? utc : null;
  if (match === null) throw new DerParseError(node.start, 'not a DER time');
  const [, year = '', month = '', day = '', hour = '', minute = '', second = ''] = match;
  const fullYear =
    node.tag === DerTag.utcTime ? (Number(year) < 50 ? 2000 : 1900) + Number(year) : Number(year);
  const millis = Math.round(Number(match[7] ?? 0) * 1000);
  return new Date(
    Date.UTC(
      fullYear,
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      millis,
    ),
  );
}
