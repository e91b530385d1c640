/** What a signer returns for one digest. */
export interface DigestSignature {
  /** DER-encoded CMS SignedData (detached), with the certificate chain. */
  readonly cms: Uint8Array;
  /** The API key ID that signed; never the key itself. */
  readonly keyId: string;
}

/** Options for one signing call. */
export interface DigestSignOptions {
  /** Ask the signing service for an RFC 3161 timestamp in the CMS. */
  readonly timestamp: boolean;
}

/**
 * The seam between sealing and the signing service: a 32-byte SHA-256 digest goes out, a CMS comes
 * back. Nothing else about the document crosses it.
 */
export interface DigestSigner {
  sign(digest: Uint8Array, options: DigestSignOptions): Promise<DigestSignature>;
}
