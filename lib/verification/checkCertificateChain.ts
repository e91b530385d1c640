import type { X509Certificate } from 'node:crypto';

import type { VerificationCheck } from './PdfSignatureVerification.js';

const maxChainLength = 8;

/**
 * Walks from `signer` up through `pool` (the certificates the CMS carries) until a certificate in
 * `trustedRoots` issued the last link, or is the last link. Each link must be valid at `time`, and
 * each issuer must be a CA whose key verifies the certificate below it.
 *
 * NOTE: no revocation (CRL, OCSP), name or policy constraints, path-length limits or key-usage
 * checks: enough to tell "signed by the key this root vouches for" from "not", not a full RFC 5280
 * path validation.
 */
export function checkCertificateChain(
  signer: X509Certificate,
  pool: readonly X509Certificate[],
  trustedRoots: readonly X509Certificate[],
  time: Date,
): VerificationCheck {
  let current = signer;
  for (let length = 1; length <= maxChainLength; length += 1) {
    const expired = validityProblem(current, time);
    if (expired !== undefined) return { status: 'failed', detail: expired };
    if (trustedRoots.some((root) => root.fingerprint256 === current.fingerprint256)) {
      return { status: 'passed' };
    }

    const issuedBy = (candidate: X509Certificate): boolean =>
      candidate.fingerprint256 !== current.fingerprint256 &&
      current.checkIssued(candidate) &&
      current.verify(candidate.publicKey);
    const root = trustedRoots.find(issuedBy);
    if (root !== undefined) {
      if (!root.ca) {
        return {
          status: 'failed',
          detail: `The trusted certificate '${root.subject}' is not a CA.`,
        };
      }
      const problem = validityProblem(root, time);
      return problem === undefined ? { status: 'passed' } : { status: 'failed', detail: problem };
    }

    const issuer = pool.find(issuedBy);
    if (issuer === undefined) {
      return {
        status: 'failed',
        detail: `No trusted root issued '${current.subject}', and the CMS carries no certificate that did.`,
      };
    }
    if (!issuer.ca) {
      return { status: 'failed', detail: `The issuer '${issuer.subject}' is not a CA.` };
    }
    current = issuer;
  }
  return {
    status: 'failed',
    detail: `No trusted root within ${String(maxChainLength)} certificates.`,
  };
}

function validityProblem(certificate: X509Certificate, time: Date): string | undefined {
  if (time < certificate.validFromDate || time > certificate.validToDate) {
    return (
      `The certificate '${certificate.subject}' is valid from ${certificate.validFromDate.toISOString()} ` +
      `to ${certificate.validToDate.toISOString()}, not at ${time.toISOString()}.`
    );
  }
  return undefined;
}
