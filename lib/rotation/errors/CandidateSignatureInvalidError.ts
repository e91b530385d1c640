import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The signing service signed the test digest with a new key, but the CMS it returned does not
 * check out. The key is not published; the test is retried later, since the fault is more likely
 * the service's than the key's.
 */
export class CandidateSignatureInvalidError extends SealOpsError {
  readonly code = 'CANDIDATE_SIGNATURE_INVALID';
  readonly httpStatus = 502;

  constructor(keyId: string, problem: string) {
    super(
      `The test signature made with new key ${keyId} failed its check: ${problem}; the key is ` +
        'not published.',
    );
  }
}
