import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { ApiKeyStore } from './ApiKeyStore.js';
import type { SeedApiKey } from './ApiKeyStore.js';
import { handleAdminRequest } from './handleAdminRequest.js';
import { handleSignRequest } from './handleSignRequest.js';
import type { SignRequestContext } from './handleSignRequest.js';
import { loadSigningPki } from './loadSigningPki.js';
import { sendJson } from './sendJson.js';
import type { RecordedSignRequest, SigningService } from './SigningService.js';
import { SigningServiceFaults } from './SigningServiceFaults.js';

export type { SeedApiKey } from './ApiKeyStore.js';
export type { IssuedApiKey, RecordedSignRequest, SigningService } from './SigningService.js';

export interface SigningServiceOptions {
  /** Where the PKI and the API keys persist across restarts (0600 files). */
  readonly stateDir: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The service's notion of now: request-time checks, key expiry, timestamps. @default () => new Date() */
  readonly clock?: () => Date;
  /** Keys to make known at start-up, such as the app's `TS_API_KEY_ID` / `TS_API_KEY`. */
  readonly keys?: readonly SeedApiKey[];
  /** Bearer token for `/admin/*`. @default undefined: the admin API answers 403 */
  readonly adminToken?: string;
  /** Allowed skew of `X-Authorization-Time`, either way. @default 60_000, as the vendor documents */
  readonly clockToleranceMs?: number;
}

const maxBodyBytes = 64 * 1024;

/**
 * Starts a local server that speaks the Trusted Signatures signing API (`POST /v1/sign`, HMAC
 * headers, detached CMS answers with an optional RFC 3161 timestamp), plus `GET /health` and the
 * local key-management API described in `handleAdminRequest`. It signs with a local test PKI that
 * nothing outside this project trusts.
 */
export async function startSigningService(options: SigningServiceOptions): Promise<SigningService> {
  const {
    stateDir,
    port = 0,
    host = '127.0.0.1',
    clock = () => new Date(),
    keys: seeds = [],
    adminToken,
    clockToleranceMs = 60_000,
  } = options;

  const pki = await loadSigningPki(stateDir, clock());
  const keys = await ApiKeyStore.open(join(stateDir, 'keys.json'));
  for (const seed of seeds) await keys.seed(seed, clock());

  const faults = new SigningServiceFaults();
  const requests: RecordedSignRequest[] = [];
  const pendingDelays = new Set<() => void>();
  const context: ServiceContext = {
    pki,
    keys,
    faults,
    requests,
    pendingDelays,
    clock,
    clockToleranceMs,
    adminToken,
  };

  const server = createServer((request, response) => {
    handle(request, response, context).catch((error: unknown) => {
      console.error('local signing service: request failed', error);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${String(address.port)}`,
    requests,
    faults,
    pki: {
      rootCertPem: pki.root.certPem,
      leafCertPem: pki.seal.certPem,
      tsaCertPem: pki.tsa.certPem,
    },
    issueKey: async (issue = {}) => {
      const key = await keys.issue(clock(), issue.expiresAt);
      return { keyId: key.keyId, apiKeyHex: key.apiKeyHex, expiresAt: new Date(key.expiresAt) };
    },
    revokeKey: (keyId) => keys.revoke(keyId),
    listKeys: () => keys.list(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of pendingDelays) release();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

interface ServiceContext extends SignRequestContext {
  readonly adminToken: string | undefined;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServiceContext,
): Promise<void> {
  const method = request.method ?? 'GET';
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const rawBody = await readBody(request);
  if (rawBody === undefined) return sendJson(response, 413, { error: 'the body is too large' });

  if (path === '/v1/sign') {
    return handleSignRequest(method, path, request.headers, rawBody, response, context);
  }
  if (path === '/health' && method === 'GET') return sendJson(response, 200, { status: 'ok' });
  if (path.startsWith('/admin/')) {
    const { status, body } = await handleAdminRequest(method, path, request.headers, rawBody, {
      keys: context.keys,
      now: context.clock(),
      adminToken: context.adminToken,
    });
    return sendJson(response, status, body);
  }
  return sendJson(response, 404, { error: 'not found' });
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > maxBodyBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
