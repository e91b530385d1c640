import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import type { ApiKeyStore } from './ApiKeyStore.js';

/**
 * Why a sign request was refused. Recorded in the request log for tests and operators; the caller
 * only ever sees a generic 401, as a real service would not say which check failed.
 */
export type AuthorizationFailure =
  | 'headers_missing'
  | 'algorithm_unsupported'
  | 'key_unknown'
  | 'key_revoked'
  | 'key_expired'
  | 'key_refused_by_fault'
  | 'time_malformed'
  | 'time_outside_tolerance'
  | 'hmac_mismatch';

export type AuthorizationResult =
  | { readonly ok: true; readonly keyId: string }
  | { readonly ok: false; readonly reason: AuthorizationFailure; readonly keyId?: string };

export interface AuthorizationContext {
  readonly keys: ApiKeyStore;
  readonly now: Date;
  /** Allowed distance between `X-Authorization-Time` and `now`, either way. */
  readonly toleranceMs: number;
  /** Key IDs a test told the service to refuse whatever their HMAC. */
  readonly refusedKeyIds: ReadonlySet<string>;
}

const isoMillisUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Checks the four `X-Authorization*` headers of a sign request the way the signing API documents
 * them: HMAC-SHA256 keyed with the hex-decoded API key, over the raw body bytes followed by the
 * time string, Base64, compared in constant time; time within the tolerance of the service clock.
 */
export function checkAuthorization(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  context: AuthorizationContext,
): AuthorizationResult {
  const algorithm = headers['x-authorization-algorithm'];
  const time = headers['x-authorization-time'];
  const keyId = headers['x-authorization-key'];
  const mac = headers['x-authorization'];
  if (
    typeof algorithm !== 'string' ||
    typeof time !== 'string' ||
    typeof keyId !== 'string' ||
    typeof mac !== 'string'
  ) {
    return { ok: false, reason: 'headers_missing' };
  }
  if (algorithm !== 'HmacSHA256') return { ok: false, reason: 'algorithm_unsupported', keyId };

  const key = context.keys.find(keyId);
  if (key === undefined) return { ok: false, reason: 'key_unknown', keyId };
  if (key.revoked) return { ok: false, reason: 'key_revoked', keyId };
  if (Date.parse(key.expiresAt) <= context.now.getTime()) {
    return { ok: false, reason: 'key_expired', keyId };
  }
  if (context.refusedKeyIds.has(keyId)) return { ok: false, reason: 'key_refused_by_fault', keyId };

  if (!isoMillisUtc.test(time) || Number.isNaN(Date.parse(time))) {
    return { ok: false, reason: 'time_malformed', keyId };
  }
  if (Math.abs(Date.parse(time) - context.now.getTime()) > context.toleranceMs) {
    return { ok: false, reason: 'time_outside_tolerance', keyId };
  }

  const expected = createHmac('sha256', Buffer.from(key.apiKeyHex, 'hex'))
    .update(rawBody)
    .update(time, 'utf8')
    .digest();
  const received = Buffer.from(mac, 'base64');
  const matches =
    received.byteLength === expected.byteLength && timingSafeEqual(received, expected);
  return matches ? { ok: true, keyId } : { ok: false, reason: 'hmac_mismatch', keyId };
}
