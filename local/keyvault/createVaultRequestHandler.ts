import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { LocalVaultError } from './errors/LocalVaultError.js';
import { ThrottledError } from './errors/ThrottledError.js';
import { UnauthorizedError } from './errors/UnauthorizedError.js';
import { UnsupportedApiVersionError } from './errors/UnsupportedApiVersionError.js';
import { KNOWN_API_VERSIONS, LATEST_API_VERSION } from './knownApiVersions.js';
import type { LocalVaultStore } from './LocalVaultStore.js';
import { performVaultOperation } from './performVaultOperation.js';
import { readJsonBody } from './readJsonBody.js';
import { routeVaultRequest } from './routeVaultRequest.js';
import type { VaultFaults } from './VaultFaults.js';

/** One answered request, as reported to `onRequest`: no headers, no body. */
export interface VaultRequestRecord {
  readonly method: string;
  readonly path: string;
  /** The api-version the request carried, if any. */
  readonly apiVersion: string | undefined;
  readonly status: number;
  /** The error code answered, for failures. */
  readonly errorCode?: string;
}

/** What the request handler works with; fixed for the life of the server. */
export interface VaultRequestHandlerDependencies {
  readonly store: LocalVaultStore;
  readonly faults: VaultFaults;
  /** `https://host:port` of the server, used when a request's Host header is unusable. */
  readonly defaultOrigin: string;
  readonly tenantId: string;
  /** When set, only these bearer tokens are accepted; otherwise any bearer token is. */
  readonly acceptedTokens: ReadonlySet<string> | undefined;
  readonly strictApiVersion: boolean;
  readonly onRequest: ((record: VaultRequestRecord) => void) | undefined;
}

/** Large enough for a restore of a secret with many 25 KB versions. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Only path and query of a request are used; the origin comes from the Host header. */
const BASE_URL = 'https://vault.invalid';
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The local vault's request pipeline, in the service's order: authenticate (401 challenge first),
 * check api-version, route, apply injected faults, perform, and render failures as
 * `{"error": {"code", "message", "innererror"?}}`.
 */
export function createVaultRequestHandler(
  dependencies: VaultRequestHandlerDependencies,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(dependencies, request, response).catch((error: unknown) => {
      // Reached only if the answer cannot be written (the client went away) or onRequest threw.
      console.error('local Key Vault: could not answer a request', error);
    });
  };
}

async function handle(
  dependencies: VaultRequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  const target = request.url ?? '/';
  // A request target no URL parser takes is routed as a path no operation has, so it gets a 404.
  const url = URL.canParse(target, BASE_URL)
    ? new URL(target, BASE_URL)
    : new URL('/unparsable-request-target', BASE_URL);
  const apiVersion = url.searchParams.get('api-version') ?? undefined;

  const outcome = await answer(dependencies, request, response, method, url, apiVersion);
  dependencies.onRequest?.({ method, path: url.pathname, apiVersion, ...outcome });
}

async function answer(
  dependencies: VaultRequestHandlerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  url: URL,
  requested: string | undefined,
): Promise<{ status: number; errorCode?: string }> {
  const { store, faults } = dependencies;

  try {
    authenticate(dependencies, request.headers.authorization);

    if (
      dependencies.strictApiVersion &&
      (requested === undefined || !KNOWN_API_VERSIONS.includes(requested))
    ) {
      throw new UnsupportedApiVersionError(requested, LATEST_API_VERSION);
    }

    const operation = routeVaultRequest(method, url.pathname);
    const retryAfterMs = faults.takeThrottle(operation.kind);
    if (retryAfterMs !== undefined) {
      throw new ThrottledError(retryAfterMs);
    }

    const origin = originOf(request.headers.host, dependencies.defaultOrigin);
    const result = await performVaultOperation(operation, {
      store,
      wire: { origin, recoveryLevel: store.recoveryLevel, recoverableDays: store.retentionDays },
      query: url.searchParams,
      listUrl: `${origin}${url.pathname}`,
      apiVersion: requested ?? LATEST_API_VERSION,
      readBody: () => readJsonBody(request, MAX_BODY_BYTES),
    });
    send(request, response, result.status, result.body, {});
    return { status: result.status };
  } catch (error) {
    if (error instanceof LocalVaultError) {
      const inner = error.innerCode === undefined ? {} : { innererror: { code: error.innerCode } };
      const body = { error: { code: error.code, message: error.message, ...inner } };
      send(request, response, error.httpStatus, body, error.headers);
      return { status: error.httpStatus, errorCode: error.code };
    }
    // A bug or a disk failure. Logged in full for whoever runs the stack; the client gets no
    // detail, as from the service. No error thrown here carries a secret value (parsers' errors,
    // which quote their input, are replaced before they get here).
    console.error(`local Key Vault: ${method} ${url.pathname} failed`, error);
    const body = {
      error: { code: 'InternalServerError', message: 'The local Key Vault failed; see its log.' },
    };
    send(request, response, 500, body, {});
    return { status: 500, errorCode: 'InternalServerError' };
  }
}

function authenticate(
  dependencies: VaultRequestHandlerDependencies,
  authorization: string | undefined,
): void {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) {
    throw new UnauthorizedError('missing', dependencies.tenantId);
  }
  // The local vault trusts every caller unless told which tokens to accept: it guards test keys
  // on a loopback port, and validating real Entra ID tokens would need Entra ID.
  if (dependencies.acceptedTokens !== undefined && !dependencies.acceptedTokens.has(token)) {
    throw new UnauthorizedError('rejected', dependencies.tenantId);
  }
}

/** The origin the client addressed (ids must point where it can follow them), if well formed. */
function originOf(hostHeader: string | undefined, defaultOrigin: string): string {
  return hostHeader !== undefined && HOST_HEADER.test(hostHeader)
    ? `https://${hostHeader}`
    : defaultOrigin;
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): void {
  // A body nobody read (the challenge request, an early failure) is drained so the connection
  // can be reused.
  request.resume();

  response.setHeader('x-ms-request-id', randomUUID());
  response.setHeader('cache-control', 'no-cache');
  for (const [name, value] of Object.entries(headers)) {
    response.setHeader(name, value);
  }
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}
