import { algorithm, contextTag, octetString, oid, sequence, set, smallInteger } from './der.js';
import type { Asn1 } from './der.js';
import { certificateIdentity } from './certificateIdentity.js';
import { Oid } from './oids.js';

export interface SignedDataRequest {
  /** The eContentType. */
  readonly contentType: string;
  /** The encapsulated content; undefined for a detached signature. */
  readonly content?: Uint8Array;
  /** Certificates to embed, DER, signer first. */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfo: Asn1;
}

/**
 * A ContentInfo holding a CMS SignedData (RFC 5652, 5.1) with one SHA-256 SignerInfo.
 * The version is 1 for id-data content and 3 otherwise (RFC 5652, 5.1).
 *
 * NOTE: `certificates` is written in the given order, not sorted as DER sorts a SET OF; every
 * verifier we test with (OpenSSL, NSS, our own) accepts that, and signers commonly do the same.
 */
export function buildSignedData(request: SignedDataRequest): Asn1 {
  const encapsulated: Asn1[] = [oid(request.contentType)];
  if (request.content !== undefined) {
    encapsulated.push(contextTag(0, [octetString(request.content)]));
  }
  const signedData = sequence([
    smallInteger(request.contentType === Oid.data ? 1 : 3),
    set([algorithm(Oid.sha256)]),
    sequence(encapsulated),
    contextTag(
      0,
      request.certificates.map((der) => certificateIdentity(der).certificate),
    ),
    set([request.signerInfo]),
  ]);
  return sequence([oid(Oid.signedData), contextTag(0, [signedData])]);
}
