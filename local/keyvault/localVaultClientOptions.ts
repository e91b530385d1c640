import type { SecretClientOptions } from '@azure/keyvault-secrets';

/**
 * The `SecretClient` options that make the unmodified SDK work against the local vault:
 *
 * - `disableChallengeResourceVerification: true`: the SDK otherwise requires the vault host to end
 *   with `.vault.azure.net` (the challenge resource), which `127.0.0.1` does not;
 * - `tlsOptions: { ca }`: trust the local CA for this client only (it replaces, not extends, the
 *   public CA list for this client; `NODE_EXTRA_CA_CERTS=<caPath>` is the process-wide alternative);
 * - `serviceVersion`: pins the wire api-version, as the app does on Azure.
 *
 * @param caPem - the local CA certificate, `LocalTls.caPem`
 */
export function localVaultClientOptions(
  caPem: string,
  serviceVersion?: SecretClientOptions['serviceVersion'],
): SecretClientOptions {
  return {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: caPem },
    ...(serviceVersion === undefined ? {} : { serviceVersion }),
  };
}
