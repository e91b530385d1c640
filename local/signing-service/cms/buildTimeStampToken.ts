import { createHash, randomBytes } from 'node:crypto';

import { buildSignedData } from './buildSignedData.js';
import { buildSignerInfo } from './buildSignerInfo.js';
import {
  algorithm,
  generalizedTime,
  integer,
  octetString,
  oid,
  sequence,
  smallInteger,
  toDer,
} from './der.js';
import type { Asn1 } from './der.js';
import { localTsaPolicy, Oid } from './oids.js';
import type { SigningPki } from '../loadSigningPki.js';

/**
 * An RFC 3161 TimeStampToken over `signatureValue`, as a CMS signature-time-stamp needs (RFC 5652
 * Appendix; ETSI EN 319 122-1): the TSTInfo's message imprint is the SHA-256 of the SignerInfo's
 * signature value, and the token is a SignedData with eContentType id-ct-TSTInfo, signed by the TSA
 * certificate with content-type, message-digest and signing-certificate-v2 attributes (RFC 5816).
 *
 * NOTE: no accuracy, nonce or TSA name is written, and genTime is the service clock; a real TSA
 * would also be audited against a trusted time source.
 */
export function buildTimeStampToken(
  signatureValue: Uint8Array,
  pki: SigningPki,
  genTime: Date,
): Asn1 {
  const imprint = createHash('sha256').update(signatureValue).digest();
  const tstInfo = toDer(
    sequence([
      smallInteger(1),
      oid(localTsaPolicy),
      sequence([algorithm(Oid.sha256), octetString(imprint)]),
      integer(randomBytes(16)),
      generalizedTime(genTime),
    ]),
  );

  const signerInfo = buildSignerInfo({
    signer: pki.tsa,
    contentType: Oid.tstInfo,
    contentDigest: createHash('sha256').update(tstInfo).digest(),
  });
  return buildSignedData({
    contentType: Oid.tstInfo,
    content: tstInfo,
    certificates: [pki.tsa.certDer, pki.root.certDer],
    signerInfo,
  });
}
