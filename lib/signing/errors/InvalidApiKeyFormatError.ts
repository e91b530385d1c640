import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * A configured API key is not an even-length hex string. A configuration error: the key itself never
 * appears in the message, only its key ID.
 */
export class InvalidApiKeyFormatError extends SealOpsError {
  readonly code = 'SIGNING_KEY_MALFORMED';
  readonly httpStatus = 500;
  readonly keyId: string;

  constructor(keyId: string) {
    super(
      `The API key configured for key ID '${keyId}' is not an even-length hex string; set it to ` +
        'the hex API key shown by the signing portal.',
    );
    this.keyId = keyId;
  }
}
