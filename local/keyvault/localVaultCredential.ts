import type { AccessToken, TokenCredential } from '@azure/identity';

/** A year: the local token never needs refreshing during a run. */
const TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The credential a `SecretClient` uses against the local vault: it hands out a fixed, fake bearer
 * token and never talks to Entra ID. The local vault trusts every caller (or only `token`, when it
 * was started with `acceptedTokens`). On Azure the app uses `DefaultAzureCredential` (managed
 * identity) instead; this credential is worthless against a real vault, by design.
 *
 * @param token - the bearer token to present
 * @default token 'sealops-local-vault-token'
 */
export function localVaultCredential(token = 'sealops-local-vault-token'): TokenCredential {
  return {
    getToken: () =>
      Promise.resolve({
        token,
        expiresOnTimestamp: Date.now() + TOKEN_LIFETIME_MS,
        tokenType: 'Bearer',
      } satisfies AccessToken),
  };
}
