import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The signing service answered 401 for every key tried. Not transient: the same request with the
 * same key cannot succeed, so it is never retried with that key.
 */
export class SigningKeyRefusedError extends SealOpsError {
  readonly code = 'SIGNING_KEY_REFUSED';
  readonly httpStatus = 502;
  /** The refused API key IDs, in the order they were tried. */
  readonly keyIds: readonly string[];

  constructor(keyIds: readonly string[]) {
    const quoted = keyIds.map((keyId) => `'${keyId}'`).join(' and ');
    const noun = keyIds.length === 1 ? 'API key' : 'API keys';
    super(
      `The signing service refused ${noun} ${quoted} (HTTP 401); operators must check that the key ` +
        'is valid, not expired and not revoked, and rotate it if it is not.',
    );
    this.keyIds = [...keyIds];
  }
}
