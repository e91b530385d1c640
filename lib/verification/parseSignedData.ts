import { DerTag, childAt, decodeIntegerHex, decodeOid, expectTag } from './decodeDer.js';
import { DerParseError, readWholeDer } from './readDer.js';
import type { DerNode } from './readDer.js';
import { Oid } from './oids.js';

/** How a SignerInfo names its certificate. */
export type SignerIdentifier =
  | {
      readonly kind: 'issuerAndSerialNumber';
      readonly issuer: Uint8Array;
      readonly serialHex: string;
    }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

/** One SignerInfo (RFC 5652, 5.3), as views into the CMS bytes. */
export interface ParsedSignerInfo {
  readonly signerIdentifier: SignerIdentifier;
  readonly digestAlgorithm: string;
  /** The signed attributes re-tagged as a SET: the exact bytes the signature covers. */
  readonly signedAttributesDer: Uint8Array | undefined;
  /** Attribute values by attribute type OID. */
  readonly signedAttributes: ReadonlyMap<string, readonly DerNode[]>;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly unsignedAttributes: ReadonlyMap<string, readonly DerNode[]>;
}

/** A CMS SignedData (RFC 5652, 5.1), as views into the CMS bytes. */
export interface ParsedSignedData {
  readonly contentType: string;
  /** The encapsulated content; undefined for a detached signature. */
  readonly content: Uint8Array | undefined;
  /** The embedded certificates, DER. */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly ParsedSignerInfo[];
}

/**
 * Reads a DER ContentInfo holding a SignedData. Throws `DerParseError` for anything else; the
 * caller turns that into a failed check.
 */
export function parseSignedData(cms: Uint8Array): ParsedSignedData {
  const contentInfo = expectTag(readWholeDer(cms), DerTag.sequence);
  if (decodeOid(childAt(contentInfo, 0)) !== Oid.signedData) {
    throw new DerParseError(contentInfo.start, 'the ContentInfo does not hold a SignedData');
  }
  const signedData = expectTag(
    childAt(expectTag(childAt(contentInfo, 1), DerTag.context0), 0),
    DerTag.sequence,
  );

  const encapsulated = expectTag(childAt(signedData, 2), DerTag.sequence);
  const explicitContent = encapsulated.children[1];
  const content =
    explicitContent === undefined
      ? undefined
      : expectTag(childAt(expectTag(explicitContent, DerTag.context0), 0), DerTag.octetString)
          .value;

  let certificates: Uint8Array[] = [];
  let signerInfos: ParsedSignerInfo[] | undefined;
  for (const field of signedData.children.slice(3)) {
    if (field.tag === DerTag.context0) {
      certificates = field.children.filter((c) => c.tag === DerTag.sequence).map((c) => c.encoded);
    }
    if (field.tag === DerTag.set) signerInfos = field.children.map(parseSignerInfo);
  }
  if (signerInfos === undefined) {
    throw new DerParseError(signedData.start, 'signerInfos is missing');
  }

  return { contentType: decodeOid(childAt(encapsulated, 0)), content, certificates, signerInfos };
}

function parseSignerInfo(node: DerNode): ParsedSignerInfo {
  const fields = expectTag(node, DerTag.sequence).children;
  let index = 1;
  const next = (): DerNode => {
    const field = fields[index];
    if (field === undefined) throw new DerParseError(node.start, 'the SignerInfo is truncated');
    index += 1;
    return field;
  };

  const signerIdentifier = readSignerIdentifier(next());
  const digestAlgorithm = decodeOid(childAt(next(), 0));
  let field = next();
  let signedAttributesDer: Uint8Array | undefined;
  let signedAttributes = new Map<string, DerNode[]>();
  if (field.tag === DerTag.context0) {
    // The signature covers the attributes with the SET tag, not the [0] IMPLICIT one they carry.
    signedAttributesDer = Uint8Array.from(field.encoded);
    signedAttributesDer[0] = DerTag.set;
    signedAttributes = readAttributes(field);
    field = next();
  }
  const signatureAlgorithm = decodeOid(childAt(field, 0));
  const signature = expectTag(next(), DerTag.octetString).value;
  const unsigned = fields[index];
  const unsignedAttributes =
    unsigned?.tag === DerTag.context1 ? readAttributes(unsigned) : new Map<string, DerNode[]>();

  return {
    signerIdentifier,
    digestAlgorithm,
    signedAttributesDer,
    signedAttributes,
    signatureAlgorithm,
    signature,
    unsignedAttributes,
  };
}

function readSignerIdentifier(node: DerNode): SignerIdentifier {
  if (node.tag === DerTag.context0Primitive) {
    return { kind: 'subjectKeyIdentifier', keyIdentifier: node.value };
  }
  expectTag(node, DerTag.sequence);
  return {
    kind: 'issuerAndSerialNumber',
    issuer: expectTag(childAt(node, 0), DerTag.sequence).encoded,
    serialHex: decodeIntegerHex(childAt(node, 1)),
  };
}

function readAttributes(node: DerNode): Map<string, DerNode[]> {
  const attributes = new Map<string, DerNode[]>();
  for (const attribute of node.children) {
    const type = decodeOid(childAt(expectTag(attribute, DerTag.sequence), 0));
    attributes.set(type, [...expectTag(childAt(attribute, 1), DerTag.set).children]);
  }
  return attributes;
}
