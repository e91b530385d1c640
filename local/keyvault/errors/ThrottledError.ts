import { LocalVaultError } from './LocalVaultError.js';

/** A request refused because the vault is throttling (here: injected by a test). */
export class ThrottledError extends LocalVaultError {
  readonly code = 'Throttled';
  readonly httpStatus = 429;
  readonly #retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(
      'Request was not processed because too many requests were received. Reason: A. ' +
        `Retry after ${Math.ceil(retryAfterMs / 1000)} seconds.`,
    );
    this.#retryAfterMs = retryAfterMs;
  }

  override get headers(): Readonly<Record<string, string>> {
    // Key Vault sends whole seconds in Retry-After. The millisecond header, which Azure SDKs read
    // first, lets tests ask for a short pause without waiting a whole second per retry.
    return {
      'Retry-After': String(Math.ceil(this.#retryAfterMs / 1000)),
      'x-ms-retry-after-ms': String(this.#retryAfterMs),
    };
  }
}
