import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';

import { DerTag, childAt, decodeOid, decodeTime, expectTag } from './decodeDer.js';
import { digestAlgorithms, Oid } from './oids.js';
import { parseSignedData } from './parseSignedData.js';
import type { ParsedSignerInfo } from './parseSignedData.js';
import type { TimestampSummary, VerificationCheck } from './PdfSignatureVerification.js';
import { readWholeDer } from './readDer.js';
import { summariseCertificate } from './summariseCertificate.js';
import { verifySigner } from './verifySigner.js';

/** The timestamp check, what the token says, and its time when the token verified. */
export interface TimestampResult {
  readonly check: VerificationCheck;
  readonly summary: TimestampSummary | undefined;
  /** genTime, only when every check of the token passed. */
  readonly verifiedTime: Date | undefined;
}

/**
 * Checks the signature-time-stamp (an unsigned attribute holding an RFC 3161 TimeStampToken): its
 * TSTInfo's message imprint must be the digest of this SignerInfo's signature value, and the token
 * must itself verify, chain to a trusted root at its genTime, and be signed by a certificate with
 * the timeStamping extended key usage.
 */
export function checkTimestamp(
  signerInfo: ParsedSignerInfo,
  trustedRoots: readonly X509Certificate[],
): TimestampResult {
  const attribute = signerInfo.unsignedAttributes.get(Oid.signatureTimeStampToken)?.[0];
  if (attribute === undefined) {
    return { check: { status: 'absent' }, summary: undefined, verifiedTime: undefined };
  }

  let token;
  let tstInfo;
  try {
    token = parseSignedData(attribute.encoded);
    if (token.contentType !== Oid.tstInfo || token.content === undefined) {
      throw new Error('not a TSTInfo');
    }
    tstInfo = readTstInfo(token.content);
  } catch {
    return failed('The timestamp token is not a readable RFC 3161 TimeStampToken.');
  }

  const [tokenSigner] = token.signerInfos;
  if (tokenSigner === undefined || token.signerInfos.length !== 1) {
    return failed('The timestamp token must have exactly one SignerInfo.');
  }
  const content = token.content;
  const checks = verifySigner({
    signedData: token,
    signerInfo: tokenSigner,
    contentDigest: (hashName) => createHash(hashName).update(content).digest(),
    trustedRoots,
    validationTime: tstInfo.genTime,
  });
  const tsa = checks.signerCertificate;
  const summary = {
    genTime: tstInfo.genTime,
    tsa: tsa === undefined ? undefined : summariseCertificate(tsa),
  };

  const imprintHash = digestAlgorithms[tstInfo.imprintAlgorithm];
  if (imprintHash === undefined) {
    return failed(
      `The timestamp imprint algorithm ${tstInfo.imprintAlgorithm} is not supported.`,
      summary,
    );
  }
  const expected = createHash(imprintHash).update(signerInfo.signature).digest();
  if (!expected.equals(tstInfo.imprint)) {
    return failed('The timestamp imprint does not match the signature value.', summary);
  }
  // RFC 3161 does not require a signing-certificate attribute in the token, so only a wrong one fails.
  const tokenChecks = [
    ['message digest', checks.messageDigest, false],
    ['signature', checks.signature, false],
    ['certificate chain', checks.certificateChain, false],
    ['signing certificate', checks.signingCertificate, true],
  ] as const;
  for (const [name, check, mayBeAbsent] of tokenChecks) {
    if (check.status === 'passed' || (mayBeAbsent && check.status === 'absent')) continue;
    return failed(
      `The timestamp token's ${name} check failed: ${check.detail ?? 'no detail'}`,
      summary,
    );
  }
  // keyUsage holds the extended key usages; node:crypto leaves it undefined when the certificate
  // has no such extension, whatever its type says.
  const extendedKeyUsage: readonly string[] = tsa?.keyUsage ?? [];
  if (tsa !== undefined && !extendedKeyUsage.includes(Oid.timeStampingUsage)) {
    return failed(
      `The timestamp signer '${tsa.subject}' lacks the timeStamping extended key usage.`,
      summary,
    );
  }
  return { check: { status: 'passed' }, summary, verifiedTime: tstInfo.genTime };
}

/** TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, ... } */
function readTstInfo(der: Uint8Array): {
  imprintAlgorithm: string;
  imprint: Uint8Array;
  genTime: Date;
} {
  const tstInfo = expectTag(readWholeDer(der), DerTag.sequence);
  const messageImprint = expectTag(childAt(tstInfo, 2), DerTag.sequence);
  return {
    imprintAlgorithm: decodeOid(childAt(childAt(messageImprint, 0), 0)),
    imprint: expectTag(childAt(messageImprint, 1), DerTag.octetString).value,
    genTime: decodeTime(childAt(tstInfo, 4)),
  };
}

function failed(detail: string, summary?: TimestampSummary): TimestampResult {
  return { check: { status: 'failed', detail }, summary, verifiedTime: undefined };
}
