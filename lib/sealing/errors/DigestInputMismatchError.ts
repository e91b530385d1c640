import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The bytes handed to the digest are not the planned document: another length than the original
 * plus the update. Either the wrong bytes were passed, or the source changed after the seal was
 * planned; the digest would not match what is written, so none is returned.
 */
export class DigestInputMismatchError extends SealOpsError {
  readonly code = 'DIGEST_INPUT_MISMATCH';
  readonly httpStatus = 500;

  constructor(part: 'original document' | 'sealed document', expected: number, actual: number) {
    super(
      `The ${part} handed to the digest is ${actual} bytes where the seal plan expects ` +
        `${expected}; plan the seal again over the current document.`,
    );
  }
}
