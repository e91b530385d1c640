import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * A version of the signing-key secret does not follow the layout in `signingKeySecret.ts`: a tag is
 * missing, the key ID is malformed, or the stored fingerprint does not match the stored key. Names
 * the secret version and the problem, never the value.
 */
export class SigningKeySecretInvalidError extends SealOpsError {
  readonly code = 'SIGNING_KEY_SECRET_INVALID';
  readonly httpStatus = 500;
  readonly secretName: string;
  readonly secretVersion: string;

  constructor(secretName: string, secretVersion: string, problem: string) {
    super(
      `Version '${secretVersion}' of the Key Vault secret '${secretName}' is not a usable signing ` +
        `key: ${problem}; disable that version or store the key again with 'sealops keys stage'.`,
    );
    this.secretName = secretName;
    this.secretVersion = secretVersion;
  }
}
