import type { TokenCredential } from '@azure/identity';

/**
 * Who a credential signs in as, for audit records: the user's sign-in name (`upn`,
 * `preferred_username`), else `app:<appid>` for a service principal or managed identity, read from
 * the claims of an ARM access token. Only the claims are read; the token itself goes nowhere.
 * Undefined when no token can be had or it carries none of these claims.
 */
export async function principalName(credential: TokenCredential): Promise<string | undefined> {
  let token: string | undefined;
  try {
    token = (await credential.getToken('https://management.azure.com/.default'))?.token;
  } catch {
    return undefined;
  }
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
  const user = [claims.upn, claims.preferred_username, claims.unique_name].find(isText);
  if (user !== undefined) return user;
  const app = [claims.appid, claims.azp].find(isText);
  return app === undefined ? undefined : `app:${app}`;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
