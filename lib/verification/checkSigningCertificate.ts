import { createHash } from 'node:crypto';

import { DerTag, childAt, decodeIntegerHex, decodeOid, expectTag } from './decodeDer.js';
import { digestAlgorithms, Oid } from './oids.js';
import type { ParsedSignerInfo } from './parseSignedData.js';
import type { VerificationCheck } from './PdfSignatureVerification.js';
import type { CertificateIdentity } from './readCertificateIdentity.js';
import type { DerNode } from './readDer.js';

/**
 * Checks that the ESS signing-certificate-v2 attribute (RFC 5035), or the older SHA-1
 * signing-certificate (RFC 2634), names the signer certificate: its first certificate ID must
 * hash to the certificate and, when it carries issuerSerial, name its issuer and serial number.
 * This is what stops a certificate swap: the signed attributes pin the certificate.
 */
export function checkSigningCertificate(
  signerInfo: ParsedSignerInfo,
  signerDer: Uint8Array,
  identity: CertificateIdentity,
): VerificationCheck {
  const v2 = signerInfo.signedAttributes.get(Oid.signingCertificateV2)?.[0];
  const v1 = signerInfo.signedAttributes.get(Oid.signingCertificate)?.[0];
  const value = v2 ?? v1;
  if (value === undefined) {
    return { status: 'absent', detail: 'The CMS has no ESS signing-certificate-v2 attribute.' };
  }

  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
  const certId = expectTag(
    childAt(expectTag(childAt(expectTag(value, DerTag.sequence), 0), DerTag.sequence), 0),
    DerTag.sequence,
  );
  let index = 0;
  let hashName = v2 === undefined ? 'sha1' : 'sha256';
  // In v2 the hash algorithm is optional with SHA-256 as its DEFAULT.
  if (v2 !== undefined && childAt(certId, 0).tag === DerTag.sequence) {
    const oid = decodeOid(childAt(childAt(certId, 0), 0));
    const named = digestAlgorithms[oid];
    if (named === undefined) {
      return {
        status: 'failed',
        detail: `The signing-certificate hash algorithm ${oid} is not supported.`,
      };
    }
    hashName = named;
    index = 1;
  }

  const certHash = expectTag(childAt(certId, index), DerTag.octetString).value;
  const actual = createHash(hashName).update(signerDer).digest();
  if (!actual.equals(certHash)) {
    return {
      status: 'failed',
      detail: 'The signing-certificate hash does not match the signer certificate.',
    };
  }

  const issuerSerial = certId.children[index + 1];
  if (issuerSerial !== undefined && !issuerSerialMatches(issuerSerial, identity)) {
    return {
      status: 'failed',
      detail:
        'The signing-certificate issuer and serial number do not name the signer certificate.',
    };
  }
  return { status: 'passed' };
}

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }, the issuer a [4] directoryName. */
function issuerSerialMatches(issuerSerial: DerNode, identity: CertificateIdentity): boolean {
  const generalNames = childAt(expectTag(issuerSerial, DerTag.sequence), 0);
  const directoryNames = generalNames.children.filter((name) => name.tag === DerTag.context4);
  const issuerMatches = directoryNames.some((name) =>
    Buffer.from(childAt(name, 0).encoded).equals(identity.issuer),
  );
  return issuerMatches && decodeIntegerHex(childAt(issuerSerial, 1)) === identity.serialHex;
}
