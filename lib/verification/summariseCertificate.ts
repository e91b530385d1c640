import type { X509Certificate } from 'node:crypto';

import type { CertificateSummary } from './PdfSignatureVerification.js';

export function summariseCertificate(certificate: X509Certificate): CertificateSummary {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    validFrom: certificate.validFromDate,
    validTo: certificate.validToDate,
  };
}
