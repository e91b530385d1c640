import { LocalVaultError } from './LocalVaultError.js';

/**
 * A request without an accepted bearer token. It carries the challenge the SDK's Key Vault
 * authentication policy parses to learn the tenant and the scope to ask a token for.
 */
export class UnauthorizedError extends LocalVaultError {
  readonly code = 'Unauthorized';
  readonly httpStatus = 401;
  readonly #challenge: string;

  /**
   * @param reason - `missing`: no `Authorization: Bearer` header; `rejected`: a token this vault
   *   was configured not to accept
   */
  constructor(reason: 'missing' | 'rejected', tenantId: string) {
    super(
      reason === 'missing'
        ? 'AKV10000: Request is missing a Bearer or PoP token.'
        : 'AKV10032: The bearer token is not one this local vault was configured to accept.',
    );
    this.#challenge =
      `Bearer authorization="https://login.microsoftonline.com/${tenantId}", ` +
      'resource="https://vault.azure.net"';
  }

  override get headers(): Readonly<Record<string, string>> {
    return { 'WWW-Authenticate': this.#challenge };
  }
}
