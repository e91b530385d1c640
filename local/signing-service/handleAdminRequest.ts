import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import type { ApiKeyStore } from './ApiKeyStore.js';

/** What the admin API answers: a status and a JSON body. */
export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface AdminContext {
  readonly keys: ApiKeyStore;
  readonly now: Date;
  /** The bearer token /admin/* requires; undefined disables the admin API. */
  readonly adminToken: string | undefined;
}

const maxLifetimeMs = 366 * 24 * 60 * 60 * 1000;
const revokePath = /^\/admin\/keys\/([^/]+)\/revoke$/;

/**
 * The local key-management API. The real signing service has none (keys are issued in its portal);
 * this stands in for "a provider API where configured", so that key rotation can be exercised end
 * to end on the local stack:
 *
 * - `POST /admin/keys` `{"expiresAt"?: ISO-8601}` → 201 `{keyId, apiKey, expiresAt}`; at most one
 *   year ahead, as the vendor allows;
 * - `GET /admin/keys` → 200 `[{keyId, fingerprint, expiresAt, revoked, createdAt}]`, no secrets;
 * - `POST /admin/keys/{keyId}/revoke` → 200 `{keyId, revoked: true}`, or 404.
 *
 * Every call needs `Authorization: Bearer <adminToken>`, compared in constant time; without a
 * configured token the admin API answers 403 to everyone.
 */
export async function handleAdminRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  context: AdminContext,
): Promise<AdminResponse> {
  if (context.adminToken === undefined) return error(403, 'the admin API is disabled');
  if (!bearerMatches(headers.authorization, context.adminToken)) {
    return error(401, 'a valid admin bearer token is required');
  }

  if (path === '/admin/keys' && method === 'GET') return { status: 200, body: context.keys.list() };
  if (path === '/admin/keys' && method === 'POST') return issueKey(rawBody, context);

  const revoke = revokePath.exec(path);
  if (revoke !== null && method === 'POST') {
    const keyId = decodeURIComponent(revoke[1] ?? '');
    const revoked = await context.keys.revoke(keyId);
    return revoked ? { status: 200, body: { keyId, revoked: true } } : error(404, 'unknown key ID');
  }
  return error(404, 'not found');
}

async function issueKey(rawBody: Buffer, context: AdminContext): Promise<AdminResponse> {
  let expiresAt: Date | undefined;
  if (rawBody.byteLength > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return error(400, 'the body is not JSON');
    }
    const requested = (parsed as { expiresAt?: unknown } | null)?.expiresAt;
    if (requested !== undefined) {
      if (typeof requested !== 'string' || Number.isNaN(Date.parse(requested))) {
        return error(400, 'expiresAt must be an ISO-8601 time');
      }
      expiresAt = new Date(requested);
      const lifetime = expiresAt.getTime() - context.now.getTime();
      if (lifetime <= 0 || lifetime > maxLifetimeMs) {
        return error(400, 'expiresAt must be in the future and at most one year ahead');
      }
    }
  }

  const key = await context.keys.issue(context.now, expiresAt);
  return {
    status: 201,
    body: { keyId: key.keyId, apiKey: key.apiKeyHex, expiresAt: key.expiresAt },
  };
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  // Hashing first makes the comparison constant-time whatever the lengths.
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(token));
}

function error(status: number, message: string): AdminResponse {
  return { status, body: { error: message } };
}
