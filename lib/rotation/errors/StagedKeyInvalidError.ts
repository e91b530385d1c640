import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * A key an operator tried to stage was refused before anything was written. Names the field and
 * the rule; never the key.
 */
export class StagedKeyInvalidError extends SealOpsError {
  readonly code = 'STAGED_KEY_INVALID';
  readonly httpStatus = 400;
  readonly field: 'keyId' | 'apiKey' | 'expiresOn';

  constructor(field: 'keyId' | 'apiKey' | 'expiresOn', problem: string) {
    super(`The staged key was refused: its ${fieldNames[field]} ${problem}. Nothing was staged.`);
    this.field = field;
  }
}

const fieldNames = { keyId: 'key ID', apiKey: 'key', expiresOn: 'expiry' } as const;
