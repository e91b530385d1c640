import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import { describeAttempt, describeFailure } from './AttemptResult.js';
import type { AttemptDescription, AttemptResult } from './AttemptResult.js';
import { authorizationHeaders } from './authorizationHeaders.js';
import { backoffDelay, sleep } from './backoffDelay.js';
import type { DigestSignature, DigestSignOptions, DigestSigner } from './DigestSigner.js';
import { NoSigningCredentialError } from './errors/NoSigningCredentialError.js';
import { SigningKeyRefusedError } from './errors/SigningKeyRefusedError.js';
import { SigningRequestRejectedError } from './errors/SigningRequestRejectedError.js';
import { SigningServiceTimeoutError } from './errors/SigningServiceTimeoutError.js';
import { SigningServiceUnavailableError } from './errors/SigningServiceUnavailableError.js';
import { readSignResponse } from './readSignResponse.js';
import { serialiseSignRequest } from './serialiseSignRequest.js';
import type { SigningCredential, SigningCredentialProvider } from './SigningCredential.js';

/** The subset of `fetch` the client uses; inject a stand-in to reach a test server. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SigningApiClientOptions {
  /** Where the signing API lives. @default 'https://api.trusted-signatures.com' */
  readonly baseUrl?: string;
  /** The keys that may sign, preferred first. */
  readonly credentials: SigningCredentialProvider;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** The source of `X-Authorization-Time`. @default () => new Date() */
  readonly clock?: () => Date;
  /** Time allowed for one HTTP attempt, answer body included. @default 20_000 */
  readonly attemptTimeoutMs?: number;
  /** Extra attempts after a network error, a timeout or a 5xx. Never after a 401. @default 2 */
  readonly retries?: number;
  /** Base of the exponential backoff between attempts; each wait is jittered. @default 250 */
  readonly retryBackoffMs?: number;
  /** Receives one `SigningCall` per HTTP attempt and one `ApiKeyUsed` per success. */
  readonly telemetry?: TelemetrySink;
}

/** A signature from the signing API, with what telemetry and audits need about how it was made. */
export interface SigningApiSignature extends DigestSignature {
  /** `keyFingerprint` of the key that signed. */
  readonly fingerprint: string;
  /** The Key Vault secret version of that key, when it came from Key Vault. */
  readonly secretVersion?: string;
  /** True when the preferred key was refused (401) and the next valid key signed. */
  readonly retriedWithOtherKey: boolean;
  /** HTTP attempts made in total, across keys. */
  readonly attempts: number;
}

interface CallContext {
  readonly keyId: string;
  readonly timestamp: boolean;
  readonly retriedWithOtherKey: boolean;
  /** `performance.now()` when the attempt began. */
  readonly startedAt: number;
}

interface KeyOutcome {
  readonly result: AttemptResult;
  readonly attempts: number;
}

/**
 * The `DigestSigner` that calls the Trusted Signatures `/v1/sign` API. Only the 32-byte digest leaves
 * the process. Network errors, timeouts and 5xx are retried with a fresh time string and HMAC each
 * attempt; a 401 is never retried with the same key, but once with the next valid key if the
 * credential provider has one (the rotation window).
 */
export class SigningApiClient implements DigestSigner {
  readonly #signUrl: string;
  readonly #credentials: SigningCredentialProvider;
  readonly #fetch: FetchLike;
  readonly #clock: () => Date;
  readonly #attemptTimeoutMs: number;
  readonly #retries: number;
  readonly #retryBackoffMs: number;
  readonly #telemetry: TelemetrySink | undefined;

  constructor(options: SigningApiClientOptions) {
    const {
      baseUrl = 'https://api.trusted-signatures.com',
      fetch: fetchFunction = globalThis.fetch,
      clock = () => new Date(),
      attemptTimeoutMs = 20_000,
      retries = 2,
      retryBackoffMs = 250,
    } = options;
    this.#signUrl = new URL('/v1/sign', baseUrl).toString();
    this.#credentials = options.credentials;
    this.#fetch = fetchFunction;
    this.#clock = clock;
    this.#attemptTimeoutMs = attemptTimeoutMs;
    this.#retries = retries;
    this.#retryBackoffMs = retryBackoffMs;
    this.#telemetry = options.telemetry;
  }

  /**
   * Signs a SHA-256 digest. Throws `SigningKeyRefusedError`, `SigningServiceUnavailableError`,
   * `SigningServiceTimeoutError`, `SigningResponseInvalidError`, `SigningRequestRejectedError`,
   * `NoSigningCredentialError` or `InvalidApiKeyFormatError`.
   */
  async sign(digest: Uint8Array, options: DigestSignOptions): Promise<SigningApiSignature> {
    if (digest.byteLength !== 32) {
      throw new RangeError(`A SHA-256 digest has 32 bytes, not ${String(digest.byteLength)}.`);
    }
    const credentials = await this.#credentials.current();
    const [preferred, next] = credentials;
    if (preferred === undefined) throw new NoSigningCredentialError();

    const body = serialiseSignRequest(digest, options.timestamp);
    const first = await this.#signWithKey(body, preferred, options.timestamp, false);
    if (first.result.kind !== 'refused') {
      return this.#finish(first.result, preferred, first.attempts, false);
    }
    if (next === undefined) throw new SigningKeyRefusedError([preferred.keyId]);

    const second = await this.#signWithKey(body, next, options.timestamp, true);
    if (second.result.kind === 'refused') {
      throw new SigningKeyRefusedError([preferred.keyId, next.keyId]);
    }
    return this.#finish(second.result, next, first.attempts + second.attempts, true);
  }

  #finish(
    result: Exclude<AttemptResult, { kind: 'refused' }>,
    credential: SigningCredential,
    attempts: number,
    retriedWithOtherKey: boolean,
  ): SigningApiSignature {
    if (result.kind === 'transient') {
      if (result.timedOut) {
        throw new SigningServiceTimeoutError(attempts, this.#attemptTimeoutMs, {
          cause: result.cause,
        });
      }
      throw new SigningServiceUnavailableError(attempts, result.status, { cause: result.cause });
    }

    const { keyId, fingerprint, secretVersion } = credential;
    this.#telemetry?.emit({
      name: 'ApiKeyUsed',
      keyId,
      fingerprint,
      ...(secretVersion === undefined ? {} : { secretVersion }),
    });
    return {
      cms: result.cms,
      keyId,
      fingerprint,
      ...(secretVersion === undefined ? {} : { secretVersion }),
      retriedWithOtherKey,
      attempts,
    };
  }

  /** Attempts with one key until it signs, is refused, or the retries run out. */
  async #signWithKey(
    body: Uint8Array,
    credential: SigningCredential,
    timestamp: boolean,
    retriedWithOtherKey: boolean,
  ): Promise<KeyOutcome> {
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const startedAt = performance.now();
      const call = { keyId: credential.keyId, timestamp, retriedWithOtherKey, startedAt };
      const result = await this.#attemptOnce(body, credential).catch((error: unknown) => {
        this.#emitCall(call, describeFailure(error));
        throw error;
      });
      this.#emitCall(call, describeAttempt(result));

      if (result.kind !== 'transient' || attempt > this.#retries) {
        return { result, attempts: attempt };
      }
      await sleep(backoffDelay(this.#retryBackoffMs, attempt));
    }
  }

  async #attemptOnce(body: Uint8Array, credential: SigningCredential): Promise<AttemptResult> {
    // A new time string and HMAC each attempt: a retried request must not look stale or replayed.
    const headers = authorizationHeaders(
      body,
      credential.apiKeyHex,
      credential.keyId,
      this.#clock(),
    );
    const signal = AbortSignal.timeout(this.#attemptTimeoutMs);
    try {
      const response = await this.#fetch(this.#signUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'sealops', ...headers },
        body,
        signal,
      });
      // The body is read under the same timeout, so a service that stalls mid-answer times out too.
      const text = await response.text();

      if (response.status === 200) {
        return { kind: 'signed', cms: readSignResponse(text, credential.keyId) };
      }
      if (response.status === 401) return { kind: 'refused' };
      if (response.status >= 500) {
        return { kind: 'transient', status: response.status, timedOut: false };
      }
      throw new SigningRequestRejectedError(response.status, credential.keyId);
    } catch (error) {
      if (!isTransportFailure(error)) throw error;
      return { kind: 'transient', timedOut: signal.aborted, cause: error };
    }
  }

  #emitCall(call: CallContext, outcome: AttemptDescription): void {
    if (this.#telemetry === undefined) return;
    this.#telemetry.emit({
      name: 'SigningCall',
      outcome: outcome.errorCode === undefined ? 'success' : 'failure',
      keyId: call.keyId,
      ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }),
      ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      durationMs: Math.round(performance.now() - call.startedAt),
      timestamp: call.timestamp,
      retriedWithOtherKey: call.retriedWithOtherKey,
    });
  }
}

/**
 * `fetch` rejects with a TypeError when the connection fails and with an AbortError or TimeoutError
 * when the signal fires; anything else (our own typed errors) is not a transport failure.
 */
function isTransportFailure(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}
