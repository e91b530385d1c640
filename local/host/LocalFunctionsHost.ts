import functions from '@azure/functions';
import { Cron } from 'croner';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { JsonLinesTable } from '../telemetry/JsonLinesTable.js';
import { compileRoute } from './compileRoute.js';
import { HostState, newFunctionKey } from './HostState.js';
import { installCoreApi, type FunctionRegistration } from './installCoreApi.js';
import { matchesAccessRestrictions } from './matchesAccessRestrictions.js';
import { serveAdmin } from './serveAdmin.js';
import {
  startQueueTriggers,
  type QueueTriggers,
  type QueueTriggersOptions,
} from './startQueueTriggers.js';

// The library is a webpack bundle whose classes Node cannot see as named ESM exports.
const { HttpRequest, HttpResponse, InvocationContext } = functions;

/** Options of {@link LocalFunctionsHost.start}. */
export interface LocalFunctionsHostOptions {
  /** The compiled module that registers the app's functions (package.json `main`). */
  readonly appEntry: string;
  /** File holding keys, app state and access restrictions; created on first start. */
  readonly stateFile: string;
  /** @default '127.0.0.1' */
  readonly hostname?: string;
  /** @default 7071; 0 picks a free port */
  readonly port?: number;
  /** Fixes the `default` host key instead of the generated one. */
  readonly defaultHostKey?: string;
  /** Where to write `AppServiceHTTPLogs.jsonl`; no HTTP log when absent. */
  readonly httpLogDirectory?: string;
  /** Run timer functions on their schedules. @default true */
  readonly timers?: boolean;
  /** Poll storage queues for queue-triggered functions (`false`: don't). @default the host's defaults */
  readonly queues?: false | Omit<QueueTriggersOptions, 'log'>;
  /** @default 'api', as in host.json `extensions.http.routePrefix` */
  readonly routePrefix?: string;
  /** Largest request body the host accepts, as `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT`. @default 100 MB */
  readonly requestBodyLimit?: number;
  /** Where host and function logs go. @default console.log */
  readonly log?: (line: string) => void;
}

interface HttpRoute {
  readonly registration: FunctionRegistration;
  readonly match: (path: string) => Record<string, string> | undefined;
  readonly methods: readonly string[];
}

/**
 * Serves an Azure Functions v4 app without the Functions host: the same registrations, the same
 * URL layout (`/api/<route>`), function keys enforced per `authLevel` as on Azure, timers on their
 * NCRONTAB schedules, and an admin surface that stands in for the host's admin API and for the App
 * Service settings that runbooks change (app state, disabled functions, access restrictions).
 *
 * One app per process: the app registers its functions through a process-wide module hook.
 */
export class LocalFunctionsHost {
  readonly url: string;
  readonly registrations: readonly FunctionRegistration[];
  readonly state: HostState;
  readonly #server: Server;
  readonly #timers: Cron[];
  #queues: QueueTriggers | undefined;

  private constructor(
    url: string,
    registrations: readonly FunctionRegistration[],
    state: HostState,
    server: Server,
    timers: Cron[],
  ) {
    this.url = url;
    this.registrations = registrations;
    this.state = state;
    this.#server = server;
    this.#timers = timers;
  }

  static async start(options: LocalFunctionsHostOptions): Promise<LocalFunctionsHost> {
    const log = options.log ?? ((line: string) => console.log(line));
    const registrations = installCoreApi((level, category, message) => {
      if (level !== 'debug' && level !== 'trace') log(`[${category}] ${message}`);
    });
    await import(pathToFileURL(options.appEntry).href);
    const state = await HostState.open(options.stateFile, options.defaultHostKey);

    const routePrefix = options.routePrefix ?? 'api';
    const routes: HttpRoute[] = registrations
      .filter((registration) => registration.trigger.type === 'httpTrigger')
      .map((registration) => ({
        registration,
        match: compileRoute(registration.trigger.route ?? registration.name),
        methods: (registration.trigger.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
      }));
    const httpLog = options.httpLogDirectory
      ? new JsonLinesTable(options.httpLogDirectory, 'AppServiceHTTPLogs')
      : undefined;

    // The server exists before the host object that serves it; until then it answers 503.
    const started: { host?: LocalFunctionsHost } = {};
    const server = createServer((request, response) => {
      const host = started.host;
      if (!host) return void response.writeHead(503).end();
      host
        .#serve(request, response, { routes, routePrefix, httpLog, log, options })
        .catch((error: unknown) => {
          log(`[host] request failed: ${String(error)}`);
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
    });
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 7071, options.hostname ?? '127.0.0.1', resolve);
    });
    const address = server.address() as AddressInfo;
    const url = `http://${options.hostname ?? '127.0.0.1'}:${address.port}`;

    const timers = options.timers === false ? [] : scheduleTimers(registrations, log);
    started.host = new LocalFunctionsHost(url, registrations, state, server, timers);
    if (options.queues !== false) {
      started.host.#queues = startQueueTriggers(registrations, { ...options.queues, log });
    }
    return started.host;
  }

  /** Runs a non-HTTP function now, as `POST /admin/functions/<name>` does on the real host. */
  async runFunction(name: string, input?: unknown): Promise<void> {
    const registration = this.registrations.find((r) => r.name === name);
    if (!registration) throw new Error(`No function named "${name}" is registered.`);
    await invoke(registration, [input ?? timerInfo(false)], console.log);
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) timer.stop();
    await this.#queues?.stop();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(
    request: IncomingMessage,
    response: ServerResponse,
    context: {
      routes: readonly HttpRoute[];
      routePrefix: string;
      httpLog: JsonLinesTable | undefined;
      log: (line: string) => void;
      options: LocalFunctionsHostOptions;
    },
  ): Promise<void> {
    const started = performance.now();
    const clientIp = normalizeAddress(request.socket.remoteAddress);
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    response.once('finish', () => {
      context.httpLog?.append({
        TimeGenerated: new Date().toISOString(),
        CsMethod: request.method ?? '',
        CsUriStem: url.pathname,
        CsUriQuery: redactQuery(url.search),
        ScStatus: response.statusCode,
        CIp: clientIp,
        UserAgent: request.headers['user-agent'] ?? '',
        CsHost: request.headers.host ?? '',
        TimeTaken: Math.round(performance.now() - started),
        _ResourceId: 'local/sealops',
      });
    });

    const presentedKey = request.headers['x-functions-key'] ?? url.searchParams.get('code');
    const key = typeof presentedKey === 'string' ? presentedKey : undefined;
    const data = this.state.data;

    if (url.pathname.startsWith('/admin/')) {
      if (!key || !safeEqual(key, data.masterKey)) return void response.writeHead(401).end();
      return serveAdmin(this, request, response, url);
    }

    const decision = matchesAccessRestrictions(clientIp, data.accessRestrictions);
    if (!decision.allowed) {
      response.writeHead(403, { 'content-type': 'text/plain' });
      return void response.end('Error 403 - Forbidden. Ip Forbidden.');
    }
    if (data.state === 'Stopped') {
      response.writeHead(403, { 'content-type': 'text/plain' });
      return void response.end('Error 403 - This web app is stopped.');
    }

    const prefix = `/${context.routePrefix}/`;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
    const method = (request.method ?? 'GET').toUpperCase();
    let found: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of path === undefined ? [] : context.routes) {
      const params = route.match(path ?? '');
      if (params && route.methods.includes(method)) found = { route, params };
      if (found) break;
    }
    const name = found?.route.registration.name;
    if (!found || !name || data.disabledFunctions.includes(name)) {
      return void response.writeHead(404).end();
    }

    if (!isAuthorized(found.route.registration.trigger.authLevel ?? 'anonymous', name, key, data)) {
      return void response.writeHead(401).end();
    }

    const limit = context.options.requestBodyLimit ?? 100 * 1024 * 1024;
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      // NOTE: the real host answers 500 here (an open host issue); 413 is what it means.
      return void response.writeHead(413).end();
    }

    const headers = new Headers();
    for (const [header, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(header, Array.isArray(value) ? value.join(', ') : value);
    }
    // App Service puts the caller's address here; the client cannot choose it.
    headers.set('x-forwarded-for', clientIp);
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const nativeRequest = new Request(url, {
      method,
      headers,
      body: hasBody ? Readable.toWeb(request) : undefined,
      duplex: 'half',
    });
    const httpRequest = new HttpRequest({
      nativeRequest,
      params: found.params,
    } as unknown as ConstructorParameters<typeof HttpRequest>[0]);

    const result = await invoke(found.route.registration, [httpRequest], context.log);
    const httpResponse = result instanceof HttpResponse ? result : new HttpResponse(result ?? {});
    const responseHeaders: Record<string, string> = {};
    httpResponse.headers.forEach((value, header) => (responseHeaders[header] = value));
    response.writeHead(httpResponse.status, responseHeaders);
    if (httpResponse.body) {
      await pipeline(Readable.fromWeb(httpResponse.body as never), response);
    } else {
      response.end();
    }
  }
}

async function invoke(
  registration: FunctionRegistration,
  inputs: unknown[],
  log: (line: string) => void,
): Promise<unknown> {
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: registration.name,
    logHandler: (level, ...args) => {
      if (level === 'debug' || level === 'trace') return;
      log(`[${registration.name}] ${level}: ${args.map(String).join(' ')}`);
    },
  });
  try {
    return await registration.handler(...inputs, context);
  } catch (error) {
    // The real host logs the exception and answers 500 without details; so does this one.
    log(`[${registration.name}] error: unhandled ${(error as Error).name ?? 'error'}`);
    return { status: 500 };
  }
}

function scheduleTimers(
  registrations: readonly FunctionRegistration[],
  log: (line: string) => void,
): Cron[] {
  return registrations
    .filter((registration) => registration.trigger.type === 'timerTrigger')
    .map((registration) => {
      const schedule = resolveSetting(String(registration.trigger.schedule));
      const cron = new Cron(
        schedule,
        { timezone: 'UTC', mode: '5-or-6-parts', domAndDow: true, protect: true },
        async () => void (await invoke(registration, [timerInfo(false)], log)),
      );
      if (registration.trigger.runOnStartup) void cron.trigger();
      return cron;
    });
}

/** `%NAME%` in a schedule names an app setting, as on Azure. */
function resolveSetting(value: string): string {
  return value.replace(/^%(\w+)%$/, (_, name: string) => process.env[name] ?? '');
}

function timerInfo(isPastDue: boolean) {
  return { isPastDue, schedule: { adjustForDST: true }, scheduleStatus: undefined };
}

function isAuthorized(
  authLevel: string,
  functionName: string,
  key: string | undefined,
  data: HostState['data'],
): boolean {
  if (authLevel === 'anonymous') return true;
  if (!key) return false;
  if (safeEqual(key, data.masterKey)) return true;
  if (authLevel === 'admin') return false;
  const candidates = [
    ...Object.values(data.hostKeys),
    ...Object.values(data.functionKeys[functionName] ?? {}),
  ];
  return candidates.some((candidate) => safeEqual(key, candidate));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function redactQuery(search: string): string {
  return search.replace(/([?&]code=)[^&]*/gi, '$1REDACTED').replace(/^\?/, '');
}

export { newFunctionKey };
