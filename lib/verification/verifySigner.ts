import { X509Certificate, verify } from 'node:crypto';

import { checkCertificateChain } from './checkCertificateChain.js';
import { checkSigningCertificate } from './checkSigningCertificate.js';
import { DerTag, decodeOid, expectTag } from './decodeDer.js';
import { digestAlgorithms, Oid, signatureAlgorithms } from './oids.js';
import type { ParsedSignedData, ParsedSignerInfo } from './parseSignedData.js';
import type { VerificationCheck } from './PdfSignatureVerification.js';
import { readCertificateIdentity } from './readCertificateIdentity.js';
import type { CertificateIdentity } from './readCertificateIdentity.js';

/** The checks one SignerInfo gets, for a PDF signature and for a timestamp token alike. */
export interface SignerVerification {
  readonly messageDigest: VerificationCheck;
  readonly signature: VerificationCheck;
  readonly certificateChain: VerificationCheck;
  readonly signingCertificate: VerificationCheck;
  readonly signerCertificate: X509Certificate | undefined;
}

export interface SignerVerificationRequest {
  readonly signedData: ParsedSignedData;
  readonly signerInfo: ParsedSignerInfo;
  /** The digest of the signed content with a `node:crypto` hash name; undefined if unknowable. */
  readonly contentDigest: (hashName: string) => Uint8Array | undefined;
  readonly trustedRoots: readonly X509Certificate[];
  readonly validationTime: Date;
}

/** Verifies one SignerInfo of a SignedData. Never throws for a bad signature: it reports it. */
export function verifySigner(request: SignerVerificationRequest): SignerVerification {
  const { signedData, signerInfo } = request;
  const certificates = signedData.certificates.map((der) => ({
    der,
    certificate: new X509Certificate(der),
    identity: readCertificateIdentity(der),
  }));
  const signer = certificates.find(({ identity }) => names(signerInfo, identity));
  const messageDigest = checkMessageDigest(request);

  if (signer === undefined) {
    const missing: VerificationCheck = {
      status: 'failed',
      detail: 'The certificate the SignerInfo names is not in the CMS.',
    };
    return {
      messageDigest,
      signature: missing,
      certificateChain: missing,
      signingCertificate: missing,
      signerCertificate: undefined,
    };
  }

  return {
    messageDigest,
    signature: checkSignature(signerInfo, signer.certificate),
    certificateChain: checkCertificateChain(
      signer.certificate,
      certificates.map(({ certificate }) => certificate),
      request.trustedRoots,
      request.validationTime,
    ),
    signingCertificate: checkSigningCertificate(signerInfo, signer.der, signer.identity),
    signerCertificate: signer.certificate,
  };
}

function names(signerInfo: ParsedSignerInfo, identity: CertificateIdentity): boolean {
  const sid = signerInfo.signerIdentifier;
  if (sid.kind === 'subjectKeyIdentifier') {
    return (
      identity.subjectKeyIdentifier !== undefined &&
      Buffer.from(sid.keyIdentifier).equals(identity.subjectKeyIdentifier)
    );
  }
  return sid.serialHex === identity.serialHex && Buffer.from(sid.issuer).equals(identity.issuer);
}

function checkMessageDigest(request: SignerVerificationRequest): VerificationCheck {
  const { signerInfo, signedData } = request;
  if (signerInfo.signedAttributesDer === undefined) {
    return {
      status: 'failed',
      detail: 'The SignerInfo has no signed attributes, which PDF signatures require.',
    };
  }
  const hashName = digestAlgorithms[signerInfo.digestAlgorithm];
  if (hashName === undefined) {
    return {
      status: 'failed',
      detail: `The digest algorithm ${signerInfo.digestAlgorithm} is not supported.`,
    };
  }

  const contentType = signerInfo.signedAttributes.get(Oid.contentType)?.[0];
  if (contentType === undefined || decodeOid(contentType) !== signedData.contentType) {
    return {
      status: 'failed',
      detail: 'The content-type attribute is missing or differs from the eContentType.',
    };
  }
  const attribute = signerInfo.signedAttributes.get(Oid.messageDigest)?.[0];
  if (attribute === undefined) {
    return { status: 'failed', detail: 'The CMS has no message-digest attribute.' };
  }

  const expected = expectTag(attribute, DerTag.octetString).value;
  const actual = request.contentDigest(hashName);
  if (actual === undefined) {
    return {
      status: 'failed',
      detail: 'The signed content could not be read, so its digest is unknown.',
    };
  }
  return Buffer.from(actual).equals(expected)
    ? { status: 'passed' }
    : {
        status: 'failed',
        detail: 'The message-digest attribute does not match the digest of the signed content.',
      };
}

function checkSignature(signerInfo: ParsedSignerInfo, signer: X509Certificate): VerificationCheck {
  if (signerInfo.signedAttributesDer === undefined) {
    return {
      status: 'failed',
      detail: 'The SignerInfo has no signed attributes, which PDF signatures require.',
    };
  }
  if (!(signerInfo.signatureAlgorithm in signatureAlgorithms)) {
    return {
      status: 'failed',
      detail: `The signature algorithm ${signerInfo.signatureAlgorithm} is not supported.`,
    };
  }
  const hashName =
    signatureAlgorithms[signerInfo.signatureAlgorithm] ??
    digestAlgorithms[signerInfo.digestAlgorithm];
  if (hashName === undefined) {
    return {
      status: 'failed',
      detail: `The digest algorithm ${signerInfo.digestAlgorithm} is not supported.`,
    };
  }

  try {
    const valid = verify(
      hashName,
      signerInfo.signedAttributesDer,
      signer.publicKey,
      signerInfo.signature,
    );
    return valid
      ? { status: 'passed' }
      : {
          status: 'failed',
          detail:
            'The signature over the signed attributes does not verify with the signer certificate.',
        };
  } catch {
    // node:crypto throws when the key type and the signature do not go together.
    return {
      status: 'failed',
      detail: 'The signature value cannot be checked with the signer certificate key.',
    };
  }
}
