import { createHash, sign } from 'node:crypto';

import { certificateIdentity } from './certificateIdentity.js';
import {
  algorithm,
  childrenOf,
  contextTag,
  derSortedSet,
  nullValue,
  octetString,
  oid,
  sequence,
  smallInteger,
  toDer,
} from './der.js';
import type { Asn1 } from './der.js';
import { Oid } from './oids.js';
import type { PkiEntity } from '../loadSigningPki.js';

export interface SignerInfoRequest {
  readonly signer: PkiEntity;
  /** The eContentType the content-type attribute names. */
  readonly contentType: string;
  /** SHA-256 of the content, for the message-digest attribute. */
  readonly contentDigest: Uint8Array;
  /** Builds the unsigned attributes from the finished signature value, if there are any. */
  readonly unsignedAttributes?: (signatureValue: Buffer) => Asn1[];
}

/**
 * A CMS SignerInfo (RFC 5652, 5.3) for a digest-only signature: version 1, issuerAndSerialNumber,
 * SHA-256, the signed attributes PAdES B-B asks for (content-type, message-digest, ESS
 * signing-certificate-v2, and no signing-time: PAdES puts the claimed time in `/M`), and RSA PKCS#1
 * v1.5 over the DER of those attributes as a SET.
 */
export function buildSignerInfo(request: SignerInfoRequest): Asn1 {
  const { issuer, serialNumber } = certificateIdentity(request.signer.certDer);
  const signedAttributes = derSortedSet([
    attribute(Oid.contentType, oid(request.contentType)),
    attribute(Oid.messageDigest, octetString(request.contentDigest)),
    attribute(Oid.signingCertificateV2, signingCertificateV2(request.signer.certDer)),
  ]);
  const signatureValue = sign('sha256', toDer(signedAttributes), request.signer.privateKey);

  const fields = [
    smallInteger(1),
    sequence([issuer, serialNumber]),
    algorithm(Oid.sha256),
    // The signed attributes go in as [0] IMPLICIT; the signature covers them with the SET tag.
    contextTag(0, childrenOf(signedAttributes)),
    algorithm(Oid.rsaEncryption, nullValue()),
    octetString(signatureValue),
  ];
  const unsigned = request.unsignedAttributes?.(signatureValue) ?? [];
  if (unsigned.length > 0) fields.push(contextTag(1, unsigned));
  return sequence(fields);
}

/** One CMS Attribute: its type and a SET holding one value. */
export function attribute(type: string, value: Asn1): Asn1 {
  return sequence([oid(type), derSortedSet([value])]);
}

/**
 * ESS SigningCertificateV2 (RFC 5035) naming `certDer` by its SHA-256 hash and its issuer and serial
 * number. The hash algorithm is left out because SHA-256 is its DEFAULT, which DER omits.
 */
function signingCertificateV2(certDer: Buffer): Asn1 {
  const { issuer, serialNumber } = certificateIdentity(certDer);
  const certHash = createHash('sha256').update(certDer).digest();
  // IssuerSerial.issuer is GeneralNames: one directoryName, [4] EXPLICIT Name.
  const issuerSerial = sequence([sequence([contextTag(4, [issuer])]), serialNumber]);
  const essCertIdV2 = sequence([octetString(certHash), issuerSerial]);
  return sequence([sequence([essCertIdV2])]);
}
