import { SealOpsError } from '../../errors/SealOpsError.js';

/** Why a 200 answer from the signing service could not be used. */
export type SigningResponseProblem =
  'not_json' | 'signature_missing' | 'signature_not_base64' | 'not_cms_signed_data';

const descriptions: Record<SigningResponseProblem, string> = {
  not_json: 'a body that is not JSON',
  signature_missing: 'JSON without a "signature" string',
  signature_not_base64: 'a "signature" that is not base64',
  not_cms_signed_data: 'a "signature" that is not a DER CMS SignedData',
};

/** The signing service answered 200 with something that is not a usable CMS signature. */
export class SigningResponseInvalidError extends SealOpsError {
  readonly code = 'SIGNING_RESPONSE_INVALID';
  readonly httpStatus = 502;
  readonly problem: SigningResponseProblem;
  readonly keyId: string;

  constructor(problem: SigningResponseProblem, keyId: string) {
    super(
      `The signing service answered HTTP 200 with ${descriptions[problem]} for API key ` +
        `'${keyId}'; check that the signing base URL points at the signing API.`,
    );
    this.problem = problem;
    this.keyId = keyId;
  }
}
