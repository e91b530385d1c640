import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * Key Vault refused or could not answer a secret operation after the SDK's own retries: throttling
 * (429), missing permission (403), the vault unreachable. Names the operation, the secret and the
 * status, never a value.
 */
export class SecretStoreError extends SealOpsError {
  readonly code = 'KEY_VAULT_UNAVAILABLE';
  readonly httpStatus = 503;
  /** HTTP status from the vault; undefined when it could not be reached. */
  readonly status: number | undefined;
  /** The vault's error code, for example `Throttled` or `SecretDisabled`. */
  readonly vaultCode: string | undefined;

  constructor(
    operation: string,
    secretName: string,
    status: number | undefined,
    vaultCode: string | undefined,
    options?: ErrorOptions,
  ) {
    const answer =
      status === undefined
        ? 'could not be reached'
        : `answered ${String(status)}${vaultCode ? ` ${vaultCode}` : ''}`;
    super(
      `Key Vault ${answer} to ${operation} of the secret '${secretName}'` +
        `${status === 429 ? ' (throttled; the step is retried later)' : ''}; check the vault's ` +
        "availability and the identity's secret permissions.",
      options,
    );
    this.status = status;
    this.vaultCode = vaultCode;
  }
}
