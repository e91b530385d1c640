import { buildSignedData } from './buildSignedData.js';
import { attribute, buildSignerInfo } from './buildSignerInfo.js';
import { buildTimeStampToken } from './buildTimeStampToken.js';
import { toDer } from './der.js';
import { Oid } from './oids.js';
import type { SigningPki } from '../loadSigningPki.js';

export interface DetachedCmsRequest {
  /** SHA-256 of the signed content (for a PDF: of its byte ranges), 32 bytes. */
  readonly digest: Uint8Array;
  /** Add an RFC 3161 signature-time-stamp as an unsigned attribute. */
  readonly timestamp: boolean;
  /** genTime of the timestamp. */
  readonly time: Date;
}

/**
 * The detached CMS SignedData `/v1/sign` answers with, as DER: content never seen, only its digest,
 * which is why it is assembled by hand (forge's PKCS#7 signer hashes the content itself). It embeds
 * the seal certificate and the root, so a verifier holding only the root can build the chain.
 */
export function buildDetachedCms(request: DetachedCmsRequest, pki: SigningPki): Buffer {
  const signerInfo = buildSignerInfo({
    signer: pki.seal,
    contentType: Oid.data,
    contentDigest: request.digest,
    unsignedAttributes: request.timestamp
      ? (signatureValue) => [
          attribute(
            Oid.signatureTimeStampToken,
            buildTimeStampToken(signatureValue, pki, request.time),
          ),
        ]
      : undefined,
  });
  return toDer(
    buildSignedData({
      contentType: Oid.data,
      certificates: [pki.seal.certDer, pki.root.certDer],
      signerInfo,
    }),
  );
}
