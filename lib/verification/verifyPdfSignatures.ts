import { X509Certificate, createHash } from 'node:crypto';

import { checkTimestamp } from './checkTimestamp.js';
import { findSignatures } from './findSignatures.js';
import type { PdfSignature } from './findSignatures.js';
import { Oid } from './oids.js';
import { parseSignedData } from './parseSignedData.js';
import type { ParsedSignedData } from './parseSignedData.js';
import type {
  PdfSignatureChecks,
  PdfSignatureVerification,
  VerificationCheck,
} from './PdfSignatureVerification.js';
import { summariseCertificate } from './summariseCertificate.js';
import { verifySigner } from './verifySigner.js';

export interface VerifyPdfSignaturesOptions {
  /** PEM certificates to trust as roots of the signer and TSA chains. */
  readonly trustedRoots: readonly string[];
  /**
   * When to check certificate validity. @default the verified timestamp's genTime, else now
   */
  readonly time?: Date;
  /** Used only when neither `time` nor a verified timestamp gives one. @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * Verifies every signature of a PDF (file order) against `trustedRoots`: byte range, CMS shape,
 * message digest, signature, certificate chain, ESS signing-certificate and timestamp, each
 * reported as a check. An invalid or unreadable signature is a result, never an exception; only
 * input that is not a PDF throws (`NotAPdfError`), as does a trusted root that is not a PEM
 * certificate (a caller error). A PDF without signatures gives an empty array.
 *
 * NOTE: no revocation checking (CRL, OCSP), no DocMDP/FieldMDP rules, no check of what later
 * revisions changed, no RSASSA-PSS, and signature dictionaries are found by a byte scan (see
 * `findSignatures`). Those belong to a full validator such as pdfsig or pyHanko.
 */
export function verifyPdfSignatures(
  pdf: Uint8Array,
  options: VerifyPdfSignaturesOptions,
): PdfSignatureVerification[] {
  const { clock = () => new Date() } = options;
  const trustedRoots = options.trustedRoots.map((pem) => new X509Certificate(pem));
  return findSignatures(pdf).map((signature, index) =>
    verifyOne(pdf, signature, index, trustedRoots, options.time, clock),
  );
}

function verifyOne(
  pdf: Uint8Array,
  signature: PdfSignature,
  index: number,
  trustedRoots: readonly X509Certificate[],
  time: Date | undefined,
  clock: () => Date,
): PdfSignatureVerification {
  const byteRange = checkByteRange(pdf, signature);
  const common = {
    index,
    byteRange: signature.byteRange,
    subFilter: signature.subFilter,
    revisionEnd: signature.revisionEnd,
    coversWholeDocument: byteRange.status === 'passed' && signature.revisionEnd === pdf.byteLength,
  };

  const parsed = readCms(signature.cms);
  const signerInfo = parsed.signedData?.signerInfos[0];
  if (
    parsed.signedData === undefined ||
    signerInfo === undefined ||
    parsed.check.status !== 'passed'
  ) {
    const notChecked: VerificationCheck = {
      status: 'failed',
      detail: 'Not checked: the CMS in /Contents is not usable.',
    };
    return {
      ...common,
      checks: {
        byteRange,
        cmsStructure: parsed.check,
        messageDigest: notChecked,
        signature: notChecked,
        certificateChain: notChecked,
        signingCertificate: notChecked,
        timestamp: notChecked,
      },
      signer: undefined,
      timestamp: undefined,
      validationTime: time ?? clock(),
      valid: false,
    };
  }

  const timestamp = checkTimestamp(signerInfo, trustedRoots);
  const validationTime = time ?? timestamp.verifiedTime ?? clock();
  const signer = verifySigner({
    signedData: parsed.signedData,
    signerInfo,
    contentDigest: (hashName) => digestByteRange(pdf, signature.byteRange, hashName),
    trustedRoots,
    validationTime,
  });

  const checks: PdfSignatureChecks = {
    byteRange,
    cmsStructure: parsed.check,
    messageDigest: signer.messageDigest,
    signature: signer.signature,
    certificateChain: signer.certificateChain,
    signingCertificate: signer.signingCertificate,
    timestamp: timestamp.check,
  };
  return {
    ...common,
    checks,
    signer:
      signer.signerCertificate === undefined
        ? undefined
        : summariseCertificate(signer.signerCertificate),
    timestamp: timestamp.summary,
    validationTime,
    valid: isValid(checks, signature.subFilter),
  };
}

function isValid(checks: PdfSignatureChecks, subFilter: string | undefined): boolean {
  const required = [
    checks.byteRange,
    checks.cmsStructure,
    checks.messageDigest,
    checks.signature,
    checks.certificateChain,
  ];
  const signingCertificateOk =
    checks.signingCertificate.status === 'passed' ||
    (checks.signingCertificate.status === 'absent' && subFilter !== 'ETSI.CAdES.detached');
  return (
    required.every((check) => check.status === 'passed') &&
    signingCertificateOk &&
    checks.timestamp.status !== 'failed'
  );
}

/**
 * The byte range must be `[0, <`, `>` .. revision end]`: from the start of the file to the end of
 * a revision, leaving out exactly the `/Contents` hex string, delimiters included.
 */
function checkByteRange(pdf: Uint8Array, signature: PdfSignature): VerificationCheck {
  const [start, firstLength, secondStart, secondLength] = signature.byteRange;
  const { contents } = signature;
  if (contents === undefined) {
    return { status: 'failed', detail: 'The signature dictionary has no /Contents hex string.' };
  }
  if (start !== 0) {
    return { status: 'failed', detail: 'The byte range does not start at offset 0.' };
  }
  if (firstLength !== contents.start || secondStart !== contents.end) {
    return {
      status: 'failed',
      detail:
        `The byte range leaves out ${String(firstLength)}..${String(secondStart)}, but /Contents ` +
        `spans ${String(contents.start)}..${String(contents.end)}.`,
    };
  }
  if (secondStart + secondLength > pdf.byteLength) {
    return { status: 'failed', detail: 'The byte range runs past the end of the file.' };
  }
  return { status: 'passed' };
}

function readCms(cms: Uint8Array): {
  signedData: ParsedSignedData | undefined;
  check: VerificationCheck;
} {
  let signedData: ParsedSignedData;
  try {
    signedData = parseSignedData(cms);
  } catch {
    return {
      signedData: undefined,
      check: { status: 'failed', detail: 'The /Contents value is not a DER CMS SignedData.' },
    };
  }
  if (signedData.signerInfos.length !== 1) {
    const count = String(signedData.signerInfos.length);
    return {
      signedData,
      check: { status: 'failed', detail: `The CMS has ${count} SignerInfos, not 1.` },
    };
  }
  if (signedData.content !== undefined || signedData.contentType !== Oid.data) {
    return {
      signedData,
      check: {
        status: 'failed',
        detail: 'The CMS is not detached id-data: it is not a detached PDF signature.',
      },
    };
  }
  return { signedData, check: { status: 'passed' } };
}

function digestByteRange(
  pdf: Uint8Array,
  [start, firstLength, secondStart, secondLength]: readonly [number, number, number, number],
  hashName: string,
): Uint8Array | undefined {
  if (start + firstLength > pdf.byteLength || secondStart + secondLength > pdf.byteLength) {
    return undefined;
  }
  return createHash(hashName)
    .update(pdf.subarray(start, start + firstLength))
    .update(pdf.subarray(secondStart, secondStart + secondLength))
    .digest();
}
