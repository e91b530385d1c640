export { NotAPdfError } from './errors/NotAPdfError.js';
export { findSignatures } from './findSignatures.js';
export type { ContentsLocation, PdfSignature } from './findSignatures.js';
export type {
  CertificateSummary,
  PdfSignatureChecks,
  PdfSignatureVerification,
  TimestampSummary,
  VerificationCheck,
} from './PdfSignatureVerification.js';
export { verifyPdfSignatures } from './verifyPdfSignatures.js';
export type { VerifyPdfSignaturesOptions } from './verifyPdfSignatures.js';
