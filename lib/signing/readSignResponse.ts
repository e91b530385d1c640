import { DerTag, childAt, decodeOid, expectTag } from '../verification/decodeDer.js';
import { readWholeDer } from '../verification/readDer.js';
import { SigningResponseInvalidError } from './errors/SigningResponseInvalidError.js';

const signedDataOid = '1.2.840.113549.1.7.2';
const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The CMS bytes of a 200 answer from `/v1/sign`. Checks the shape lightly: JSON, a base64
 * `signature`, DER that is a ContentInfo holding a SignedData. It does not verify the signature;
 * `lib/verification` does that. Throws `SigningResponseInvalidError`.
 */
export function readSignResponse(text: string, keyId: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningResponseInvalidError('not_json', keyId);
  }

  const signature = (parsed as { signature?: unknown } | null)?.signature;
  if (typeof signature !== 'string' || signature === '') {
    throw new SigningResponseInvalidError('signature_missing', keyId);
  }
  if (!strictBase64.test(signature)) {
    throw new SigningResponseInvalidError('signature_not_base64', keyId);
  }

  const cms = new Uint8Array(Buffer.from(signature, 'base64'));
  if (!isSignedData(cms)) throw new SigningResponseInvalidError('not_cms_signed_data', keyId);
  return cms;
}

function isSignedData(cms: Uint8Array): boolean {
  try {
    const contentInfo = expectTag(readWholeDer(cms), DerTag.sequence);
    if (decodeOid(childAt(contentInfo, 0)) !== signedDataOid) return false;
    const signedData = expectTag(
      childAt(expectTag(childAt(contentInfo, 1), DerTag.context0), 0),
      DerTag.sequence,
    );
    expectTag(childAt(signedData, 0), DerTag.integer);
    return signedData.children.length >= 4;
  } catch {
    return false;
  }
}
