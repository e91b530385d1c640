/** The outcome of one check: `absent` when the signature does not carry what it checks. */
export interface VerificationCheck {
  readonly status: 'passed' | 'failed' | 'absent';
  /** Why a check failed or was not made, in one sentence; absent when it passed. */
  readonly detail?: string;
}

/** Who a certificate names, for reports. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** Upper-case hex, as OpenSSL prints it. */
  readonly serialNumber: string;
  /** SHA-256 of the DER, colon-separated hex. */
  readonly fingerprint256: string;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/** What a signature-time-stamp token says, when it could be read. */
export interface TimestampSummary {
  /** The time the TSA vouches the signature existed at. */
  readonly genTime: Date;
  readonly tsa: CertificateSummary | undefined;
}

/** Every check made on one PDF signature. */
export interface PdfSignatureChecks {
  /** `/ByteRange` starts at 0, ends at a revision end, and leaves out exactly the `/Contents` hex. */
  readonly byteRange: VerificationCheck;
  /** `/Contents` holds a DER CMS SignedData with one SignerInfo and no encapsulated content. */
  readonly cmsStructure: VerificationCheck;
  /** The message-digest attribute equals the digest of the byte ranges; content-type is id-data. */
  readonly messageDigest: VerificationCheck;
  /** The signer certificate's key verifies the signature over the signed attributes. */
  readonly signature: VerificationCheck;
  /** The signer certificate leads to a trusted root, each link valid at the validation time. */
  readonly certificateChain: VerificationCheck;
  /** ESS signing-certificate(-v2) names the signer certificate (PAdES requires it). */
  readonly signingCertificate: VerificationCheck;
  /** A signature-time-stamp token's imprint matches the signature value and the token verifies. */
  readonly timestamp: VerificationCheck;
}

/** The result of verifying one signature of a PDF. */
export interface PdfSignatureVerification {
  /** Position among the PDF's signatures, in file order, from 0. */
  readonly index: number;
  readonly byteRange: readonly [number, number, number, number];
  readonly subFilter: string | undefined;
  readonly revisionEnd: number;
  /** True when the signature covers every byte of the file (it is in the last revision). */
  readonly coversWholeDocument: boolean;
  readonly checks: PdfSignatureChecks;
  readonly signer: CertificateSummary | undefined;
  readonly timestamp: TimestampSummary | undefined;
  /** The time certificates were checked at: the option, else a verified timestamp, else now. */
  readonly validationTime: Date;
  /**
   * True when every check passed, ignoring an absent timestamp, and an absent signing-certificate
   * attribute except under `ETSI.CAdES.detached`, where PAdES makes it mandatory. Does not require
   * `coversWholeDocument`: an earlier signature of a multiply signed PDF is valid for its revision.
   */
  readonly valid: boolean;
}
