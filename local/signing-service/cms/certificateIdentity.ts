import { childrenOf, fromDer } from './der.js';
import type { Asn1 } from './der.js';

/** The parts of a certificate a SignerInfo and ESSCertIDv2 name it by, as parsed ASN.1. */
export interface CertificateIdentity {
  /** The whole certificate, to embed in `certificates`. */
  readonly certificate: Asn1;
  /** The issuer Name, exactly as encoded in the certificate. */
  readonly issuer: Asn1;
  /** The serialNumber INTEGER, exactly as encoded in the certificate. */
  readonly serialNumber: Asn1;
}

/** Reads issuer and serial number from a DER X.509 v3 certificate. */
export function certificateIdentity(certDer: Uint8Array): CertificateIdentity {
  const certificate = fromDer(certDer);
  const [tbs] = childrenOf(certificate);
  if (tbs === undefined) throw new TypeError('The certificate has no TBSCertificate.');
  // v3 certificates start with the explicit [0] version, then serialNumber, signature, issuer.
  const [, serialNumber, , issuer] = childrenOf(tbs);
  if (serialNumber === undefined || issuer === undefined) {
    throw new TypeError('The certificate is not an X.509 v3 certificate.');
  }
  return { certificate, issuer, serialNumber };
}
