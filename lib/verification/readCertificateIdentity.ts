import { DerTag, childAt, decodeIntegerHex, decodeOid, expectTag } from './decodeDer.js';
import { readDer, readWholeDer } from './readDer.js';

/** What a SignerInfo or an ESS certificate ID can name a certificate by. */
export interface CertificateIdentity {
  /** The issuer Name, DER, exactly as in the certificate. */
  readonly issuer: Uint8Array;
  readonly serialHex: string;
  readonly subjectKeyIdentifier: Uint8Array | undefined;
}

const subjectKeyIdentifierOid = '2.5.29.14';

/** Reads issuer, serial number and subject key identifier from a DER X.509 certificate. */
export function readCertificateIdentity(certDer: Uint8Array): CertificateIdentity {
  const tbs = expectTag(childAt(readWholeDer(certDer), 0), DerTag.sequence);
  // The version is an optional explicit [0] before serialNumber.
  const first = tbs.children[0]?.tag === DerTag.context0 ? 1 : 0;
  const extensions = tbs.children.find((field) => field.tag === DerTag.context3);

  let subjectKeyIdentifier: Uint8Array | undefined;
  for (const extension of extensions?.children[0]?.children ?? []) {
    if (decodeOid(childAt(extension, 0)) !== subjectKeyIdentifierOid) continue;
    const extnValue = expectTag(
      childAt(extension, extension.children.length - 1),
      DerTag.octetString,
    );
    subjectKeyIdentifier = expectTag(readDer(extnValue.value), DerTag.octetString).value;
  }

  return {
    issuer: expectTag(childAt(tbs, first + 2), DerTag.sequence).encoded,
    serialHex: decodeIntegerHex(childAt(tbs, first)),
    subjectKeyIdentifier,
  };
}
