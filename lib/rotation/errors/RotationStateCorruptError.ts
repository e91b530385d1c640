import { SealOpsError } from '../../errors/SealOpsError.js';

/** The persisted rotation state of a credential cannot be read; nothing is done until fixed. */
export class RotationStateCorruptError extends SealOpsError {
  readonly code = 'ROTATION_STATE_CORRUPT';
  readonly httpStatus = 500;

  constructor(credential: string, problem: string) {
    super(
      `The rotation state of '${credential}' cannot be used: ${problem}; inspect the blob in the ` +
        "'sealops-rotation' container, then fix or delete it ('sealops keys status' shows what " +
        'Key Vault holds).',
    );
  }
}
