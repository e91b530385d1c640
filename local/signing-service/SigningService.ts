import type { IncomingHttpHeaders } from 'node:http';

import type { ApiKeySummary } from './ApiKeyStore.js';
import type { SigningServiceFaults } from './SigningServiceFaults.js';

/** A key issued by the local service; `apiKeyHex` is its secret. */
export interface IssuedApiKey {
  readonly keyId: string;
  readonly apiKeyHex: string;
  readonly expiresAt: Date;
}

/** One `/v1/sign` request exactly as it arrived, and how it was answered. */
export interface RecordedSignRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body as a UTF-8 string. */
  readonly body: string;
  /** The status answered; absent while the request is in flight or if the client went away. */
  status?: number;
  /** Why it was refused (an `AuthorizationFailure` or `SignRequestBodyProblem`), never sent back. */
  reason?: string;
}

/** The running local signing service. */
export interface SigningService {
  /** Base URL, for example `http://127.0.0.1:53123`; `/v1/sign` lives under it. */
  readonly url: string;
  /** Every `/v1/sign` request received, oldest first. */
  readonly requests: readonly RecordedSignRequest[];
  readonly faults: SigningServiceFaults;
  /** The certificates, PEM: trust `rootCertPem` to verify what the service signs. */
  readonly pki: {
    readonly rootCertPem: string;
    readonly leafCertPem: string;
    readonly tsaCertPem: string;
  };
  issueKey(options?: { readonly expiresAt?: Date }): Promise<IssuedApiKey>;
  /** False when the key ID is unknown. */
  revokeKey(keyId: string): Promise<boolean>;
  /** Every known key, without secrets. */
  listKeys(): ApiKeySummary[];
  /** Stops listening and drops open connections, including requests held by `faults.delay`. */
  close(): Promise<void>;
}
