import forge from 'node-forge';

// Thin helpers over node-forge's asn1 module: it keeps bytes as binary strings, these keep Buffers
// at the edges so the rest of the service never sees that encoding.

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

export function sequence(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

export function set(items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
}

/**
 * A SET OF in DER order: elements sorted by their encodings, the shorter one padded with zeros
 * (X.690, 11.6). CMS signs the DER of its signed attributes, so a verifier that re-encodes them
 * must get the same bytes we signed.
 */
export function derSortedSet(items: Asn1[]): Asn1 {
  const encoded = items.map((item) => ({ item, bytes: toDer(item) }));
  encoded.sort((a, b) => compareDer(a.bytes, b.bytes));
  return set(encoded.map(({ item }) => item));
}

export function oid(dotted: string): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
}

export function octetString(bytes: Uint8Array): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, binary(bytes));
}

/** A non-negative INTEGER from its big-endian magnitude. */
export function integer(magnitude: Uint8Array): Asn1 {
  let start = 0;
  while (start < magnitude.byteLength - 1 && magnitude[start] === 0) start += 1;
  const trimmed = Buffer.from(magnitude.subarray(start));
  const needsSignByte = (trimmed[0] ?? 0) >= 0x80;
  const content = needsSignByte ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, binary(content));
}

export function smallInteger(value: number): Asn1 {
  return asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.INTEGER,
    false,
    asn1.integerToDer(value).getBytes(),
  );
}

export function nullValue(): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
}

/** GeneralizedTime with milliseconds when there are any, trailing zeros dropped as DER requires. */
export function generalizedTime(time: Date): Asn1 {
  const iso = time.toISOString();
  const whole = iso.slice(0, 19).replace(/[-T:]/g, '');
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  const text = fraction === '' ? `${whole}Z` : `${whole}.${fraction}Z`;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, text);
}

/** `[tagNumber]` constructed around `items`: EXPLICIT tagging, or IMPLICIT for a SET/SEQUENCE. */
export function contextTag(tagNumber: number, items: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tagNumber, true, items);
}

export function algorithm(dotted: string, parameters?: Asn1): Asn1 {
  return sequence(parameters === undefined ? [oid(dotted)] : [oid(dotted), parameters]);
}

export function toDer(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

export function fromDer(bytes: Uint8Array): Asn1 {
  // forge accepts an options object here, but its typings only know the older boolean argument.
  // decodeBitStrings stays off so that a certificate's BIT STRINGs round-trip byte for byte.
  return asn1.fromDer(forge.util.createBuffer(binary(bytes)), {
    strict: true,
    parseAllBytes: true,
    decodeBitStrings: false,
  } as unknown as boolean);
}

/** The elements of a constructed node. */
export function childrenOf(node: Asn1): Asn1[] {
  if (!Array.isArray(node.value)) throw new TypeError('Expected a constructed ASN.1 element.');
  return node.value;
}

function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary');
}

function compareDer(a: Buffer, b: Buffer): number {
  const length = Math.max(a.byteLength, b.byteLength);
  for (let index = 0; index < length; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
