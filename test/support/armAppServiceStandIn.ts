import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { LocalTls } from '../../local/tls/ensureLocalTls.js';

/** One request the stand-in received, as a test may inspect it. */
export interface ArmRequest {
  readonly method: string;
  /** The path below the site, e.g. `/config/web`; `''` for the site itself. */
  readonly path: string;
  readonly apiVersion: string | null;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** The app the stand-in serves; tests seed it and read it back. */
export interface ArmSite {
  state: 'Running' | 'Stopped';
  appSettings: Record<string, string>;
  /** `siteConfig` properties, including `ipSecurityRestrictions`. */
  config: Record<string, unknown>;
  functionKeys: Record<string, Record<string, string>>;
  masterKey: string;
  hostFunctionKeys: Record<string, string>;
  systemKeys: Record<string, string>;
}

/** A running stand-in; `close()` stops it. */
export interface ArmAppServiceStandIn {
  /** The endpoint to give the client, e.g. `https://127.0.0.1:51234`. */
  readonly endpoint: string;
  readonly site: ArmSite;
  readonly requests: ArmRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTPS server that answers the App Service ARM operations {@link ArmAppControl} sends,
 * for one site, the way ARM answers them (including the flat `listkeys` body). It holds the site in
 * memory, so a test can check what a read-modify-write kept. Requests without a bearer token get 401.
 */
export async function startArmAppServiceStandIn(
  tls: LocalTls,
  ids: { subscriptionId: string; resourceGroup: string; appName: string },
  site: ArmSite,
): Promise<ArmAppServiceStandIn> {
  const sitePath =
    `/subscriptions/${ids.subscriptionId}/resourceGroups/${ids.resourceGroup}` +
    `/providers/Microsoft.Web/sites/${ids.appName}`;
  const requests: ArmRequest[] = [];

  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    void readJson(request).then((body) => {
      const url = new URL(request.url ?? '/', 'https://localhost');
      const authorization = request.headers.authorization;
      if (!url.pathname.startsWith(sitePath)) {
        return send(response, 404, { error: { code: 'ResourceNotFound', message: 'No site.' } });
      }
      const path = url.pathname.slice(sitePath.length);
      const method = request.method ?? 'GET';
      requests.push({
        method,
        path,
        apiVersion: url.searchParams.get('api-version'),
        authorization,
        body,
      });
      if (authorization?.startsWith('Bearer ') !== true) {
        return send(response, 401, {
          error: { code: 'AuthenticationFailed', message: 'No token.' },
        });
      }
      return route(site, method, path, body, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    site,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function route(
  site: ArmSite,
  method: string,
  path: string,
  body: unknown,
  response: ServerResponse,
): void {
  const functionKey = /^\/functions\/([^/]+)\/keys\/([^/]+)$/.exec(path);
  const functionList = /^\/functions\/([^/]+)\/listkeys$/.exec(path);
  const hostKey = /^\/host\/default\/(functionKeys|systemKeys)\/([^/]+)$/.exec(path);

  if (method === 'GET' && path === '') {
    return send(response, 200, {
      id: 'site',
      name: 'site',
      properties: { state: site.state, enabled: true },
    });
  }
  if (method === 'POST' && (path === '/stop' || path === '/start')) {
    site.state = path === '/stop' ? 'Stopped' : 'Running';
    return send(response, 200);
  }
  if (method === 'POST' && path === '/config/appsettings/list') {
    return send(response, 200, { name: 'appsettings', properties: site.appSettings });
  }
  if (method === 'PUT' && path === '/config/appsettings') {
    site.appSettings = { ...(body as { properties: Record<string, string> }).properties };
    return send(response, 200, { name: 'appsettings', properties: site.appSettings });
  }
  if (method === 'GET' && path === '/config/web') {
    return send(response, 200, { name: 'web', properties: site.config });
  }
  if (method === 'PATCH' && path === '/config/web') {
    site.config = { ...site.config, ...(body as { properties: object }).properties };
    return send(response, 200, { name: 'web', properties: site.config });
  }
  if (method === 'POST' && path === '/config/configreferences/appsettings/refresh') {
    return send(response, 200);
  }
  if (method === 'POST' && functionList !== null) {
    const keys = site.functionKeys[decodeURIComponent(functionList[1] ?? '')];
    return keys === undefined ? notFound(response) : send(response, 200, keys);
  }
  if (functionKey !== null) {
    const keys = site.functionKeys[decodeURIComponent(functionKey[1] ?? '')];
    return keys === undefined
      ? notFound(response)
      : keyOperation(keys, decodeURIComponent(functionKey[2] ?? ''), method, body, response);
  }
  if (method === 'POST' && path === '/host/default/listkeys') {
    return send(response, 200, {
      masterKey: site.masterKey,
      functionKeys: site.hostFunctionKeys,
      systemKeys: site.systemKeys,
    });
  }
  if (hostKey !== null) {
    const keys = hostKey[1] === 'functionKeys' ? site.hostFunctionKeys : site.systemKeys;
    return keyOperation(keys, decodeURIComponent(hostKey[2] ?? ''), method, body, response);
  }
  return notFound(response);
}

function keyOperation(
  keys: Record<string, string>,
  keyName: string,
  method: string,
  body: unknown,
  response: ServerResponse,
): void {
  if (method === 'DELETE') {
    if (keys[keyName] === undefined) {
      return notFound(response);
    }
    delete keys[keyName];
    return send(response, 204);
  }
  if (method === 'PUT') {
    const existed = keys[keyName] !== undefined;
    const value = (body as { value?: string }).value ?? randomBytes(30).toString('base64url');
    keys[keyName] = value;
    return send(response, existed ? 200 : 201, { name: keyName, value });
  }
  return notFound(response);
}

function notFound(response: ServerResponse): void {
  send(response, 404, { error: { code: 'NotFound', message: 'Not found.' } });
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
