/** A sign request body that passed every check. */
export interface SignRequestBody {
  readonly digest: Buffer;
  readonly tsaTimestamp: boolean;
}

/** Why a sign request body was refused with 400. */
export type SignRequestBodyProblem =
  | 'body_not_json'
  | 'digest_algorithm_unsupported'
  | 'digest_missing'
  | 'digest_not_sha256'
  | 'tsa_timestamp_not_boolean';

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads `{"digestAlgorithm":"SHA256","digest":"<base64 of 32 bytes>","tsaTimestamp"?:boolean}`.
 * `digestAlgorithm` is required here although the oldest docs sample leaves it out: the stand-in is
 * strict so that this project's client cannot drift from the documented body.
 */
export function readSignRequestBody(rawBody: Buffer): SignRequestBody | SignRequestBodyProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return 'body_not_json';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'body_not_json';
  }

  const { digestAlgorithm, digest, tsaTimestamp } = parsed as Record<string, unknown>;
  if (digestAlgorithm !== 'SHA256') return 'digest_algorithm_unsupported';
  if (typeof digest !== 'string' || digest === '') return 'digest_missing';
  if (!strictBase64.test(digest)) return 'digest_not_sha256';
  const digestBytes = Buffer.from(digest, 'base64');
  if (digestBytes.byteLength !== 32) return 'digest_not_sha256';
  if (tsaTimestamp !== undefined && typeof tsaTimestamp !== 'boolean') {
    return 'tsa_timestamp_not_boolean';
  }
  return { digest: digestBytes, tsaTimestamp: tsaTimestamp === true };
}
