import { KeyProviderError } from '../errors/KeyProviderError.js';

/** A key the provider issued. `apiKeyHex` is the secret. */
export interface IssuedKey {
  readonly keyId: string;
  readonly apiKeyHex: string;
  /** The provider's own expiry for the key: the truth the rotation schedules from. */
  readonly expiresAt: Date;
}

/** A key as the provider lists it, without its secret. */
export interface ProviderKeySummary {
  readonly keyId: string;
  readonly createdAt?: Date;
  readonly expiresAt?: Date;
  readonly revoked: boolean;
}

/** Options of {@link ProviderKeyApi}. */
export interface ProviderKeyApiOptions {
  /** The provider's base URL (`TS_KEY_PROVIDER_URL`). */
  readonly baseUrl: string;
  /** Bearer token of the key-management API (`TS_KEY_PROVIDER_TOKEN`). A secret. */
  readonly adminToken: string;
  /** @default globalThis.fetch */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Per call. @default 20_000 */
  readonly timeoutMs?: number;
}

const keyIdPattern = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;
const hexPattern = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * A provider's key-management API, as the local signing service offers it (`POST /admin/keys`,
 * `GET /admin/keys`, `POST /admin/keys/{id}/revoke`, bearer admin token). The real vendor issues
 * keys only in its portal, so on Azure this is usually absent and operators stage keys instead.
 *
 * NOTE: the API takes no idempotency key, so a key issued just before a crash cannot be found
 * again by its secret; the rotation finds it by creation time in `list()` and revokes it.
 */
export class ProviderKeyApi {
  readonly #baseUrl: string;
  readonly #adminToken: string;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #timeoutMs: number;

  constructor(options: ProviderKeyApiOptions) {
    const { fetch: fetchFunction = globalThis.fetch, timeoutMs = 20_000 } = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#adminToken = options.adminToken;
    this.#fetch = fetchFunction;
    this.#timeoutMs = timeoutMs;
  }

  /** Issues a key, valid until `expiresAt` when given (else the provider's default, one year). */
  async issue(expiresAt?: Date): Promise<IssuedKey> {
    const body = expiresAt === undefined ? undefined : { expiresAt: expiresAt.toISOString() };
    const answer = await this.#call('issuing a key', 'POST', '/admin/keys', body, [201, 200]);
    const { keyId, apiKey, expiresAt: expiry } = (answer ?? {}) as Record<string, unknown>;
    if (typeof keyId !== 'string' || !keyIdPattern.test(keyId)) {
      throw new KeyProviderError('issuing a key', 201, 'the answer has no valid keyId');
    }
    if (typeof apiKey !== 'string' || !hexPattern.test(apiKey)) {
      throw new KeyProviderError('issuing a key', 201, `key ${keyId} came without a hex apiKey`);
    }
    if (typeof expiry !== 'string' || Number.isNaN(Date.parse(expiry))) {
      throw new KeyProviderError('issuing a key', 201, `key ${keyId} came without an expiresAt`);
    }
    return { keyId, apiKeyHex: apiKey.toLowerCase(), expiresAt: new Date(expiry) };
  }

  /** Every key the provider knows, without secrets. */
  async list(): Promise<ProviderKeySummary[]> {
    const answer = await this.#call('listing keys', 'GET', '/admin/keys', undefined, [200]);
    if (!Array.isArray(answer)) throw new KeyProviderError('listing keys', 200, 'not a list');
    return answer.flatMap((entry: unknown) => {
      const { keyId, createdAt, expiresAt, revoked } = (entry ?? {}) as Record<string, unknown>;
      if (typeof keyId !== 'string') return [];
      return [
        {
          keyId,
          ...(typeof createdAt === 'string' ? { createdAt: new Date(createdAt) } : {}),
          ...(typeof expiresAt === 'string' ? { expiresAt: new Date(expiresAt) } : {}),
          revoked: revoked === true,
        },
      ];
    });
  }

  /** Revokes a key. `unknown` when the provider does not know it (nothing left to revoke). */
  async revoke(keyId: string): Promise<'revoked' | 'unknown'> {
    const path = `/admin/keys/${encodeURIComponent(keyId)}/revoke`;
    const answer = await this.#call(`revoking key ${keyId}`, 'POST', path, undefined, [200, 404]);
    return answer === notFound ? 'unknown' : 'revoked';
  }

  async #call(
    operation: string,
    method: string,
    path: string,
    body: unknown,
    accepted: readonly number[],
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch {
      throw new KeyProviderError(operation, undefined);
    }
    const text = await response.text().catch(() => '');
    if (!accepted.includes(response.status)) throw new KeyProviderError(operation, response.status);
    if (response.status === 404) return notFound;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KeyProviderError(operation, response.status, 'the answer is not JSON');
    }
  }
}

const notFound = Symbol('not found');
