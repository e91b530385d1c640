import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { startAzurite, type AzuriteInstance } from '../azurite/startAzurite.js';
import { LocalFunctionsHost } from '../host/LocalFunctionsHost.js';
import { startSigningService } from '../signing-service/startSigningService.js';
import { ensureNssTrust } from './ensureNssTrust.js';
import { loadLocalSettings } from './loadLocalSettings.js';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** The project folder (holds `local.settings.json` and `dist/`). @default process.cwd() */
  readonly projectDir?: string;
  /** Git-ignored folder for all local state. @default '<projectDir>/.local' */
  readonly stateDir?: string;
  /** Port of the Functions host; 0 picks a free one. @default 7071 */
  readonly port?: number;
  /** Fixes the `default` function key (`LOCAL_FUNCTION_KEY`). */
  readonly functionKey?: string;
  /** Use Azurite's usual ports 10000-10002. @default false */
  readonly fixedStoragePorts?: boolean;
  /** Run timer functions on their schedules. @default true */
  readonly timers?: boolean;
  readonly log?: (line: string) => void;
}

/** The running stack: what a person or a test needs to call it. */
export interface LocalStack {
  readonly baseUrl: string;
  readonly functionKey: string;
  readonly masterKey: string;
  readonly signingServiceUrl: string;
  /** Bearer token of the local signing service's key-management API (`/admin/keys`). */
  readonly signingAdminToken: string;
  readonly storageConnectionString: string;
  readonly stateDir: string;
  readonly telemetryDir: string;
  /** PEM of the local signing service's test root: the trust anchor of local seals. */
  readonly rootCertPem: string;
  /** `sql:<dir>` of an NSS database trusting that root, for `pdfsig -nssdir`; absent without certutil. */
  readonly nssDatabase?: string;
  readonly host: LocalFunctionsHost;
  stop(): Promise<void>;
}

/**
 * Starts the embedded stack in this process: Azurite (a child process), the local signing service,
 * and the local Functions host serving the app from `dist/functions`. Settings come from the
 * environment first, then `local.settings.json`, then the stack's own defaults, which point the app
 * at the local services. Everything it keeps lives under `stateDir`.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const stateDir = resolve(options.stateDir ?? join(projectDir, '.local'));
  const telemetryDir = join(stateDir, 'telemetry');
  await mkdir(stateDir, { recursive: true });
  const log = options.log ?? ((line: string) => console.log(line));

  const fileSettings = await loadLocalSettings(join(projectDir, 'local.settings.json'));
  const setting = (name: string) => process.env[name] ?? fileSettings[name];

  const appKey = await localSigningKey(stateDir, setting('TS_API_KEY_ID'), setting('TS_API_KEY'));
  const signingAdminToken = await keptSecret(join(stateDir, 'stack', 'signing-admin-token'));
  let azurite: AzuriteInstance | undefined;
  let signing: Awaited<ReturnType<typeof startSigningService>> | undefined;
  try {
    azurite = await startAzurite({
      location: join(stateDir, 'azurite'),
      fixedPorts: options.fixedStoragePorts ?? false,
    });
    signing = await startSigningService({
      stateDir: join(stateDir, 'signing-service'),
      keys: [appKey],
      adminToken: signingAdminToken,
    });

    const storage = setting('AzureWebJobsStorage');
    const defaults: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage:
        !storage || storage === 'UseDevelopmentStorage=true' ? azurite.connectionString : storage,
      TS_API_URL: signing.url,
      TS_API_KEY_ID: appKey.keyId,
      TS_API_KEY: appKey.apiKeyHex,
      SEALOPS_TELEMETRY_DIR: telemetryDir,
    };
    for (const [name, value] of Object.entries({ ...defaults, ...fileSettings })) {
      process.env[name] ??= value;
    }
    if (process.env.AzureWebJobsStorage === 'UseDevelopmentStorage=true') {
      process.env.AzureWebJobsStorage = azurite.connectionString;
    }

    const host = await LocalFunctionsHost.start({
      appEntry: join(projectDir, 'dist/functions/index.js'),
      stateFile: join(stateDir, 'host', 'state.json'),
      port: options.port ?? 7071,
      ...(options.functionKey ? { defaultHostKey: options.functionKey } : {}),
      httpLogDirectory: telemetryDir,
      timers: options.timers ?? true,
      log,
    });
    const nssDatabase = await ensureNssTrust(join(stateDir, 'nssdb'), signing.pki.rootCertPem);
    const started = { azurite, signing };
    return {
      baseUrl: `${host.url}/api`,
      functionKey: host.state.data.hostKeys.default ?? '',
      masterKey: host.state.data.masterKey,
      signingServiceUrl: signing.url,
      signingAdminToken,
      storageConnectionString: azurite.connectionString,
      stateDir,
      telemetryDir,
      rootCertPem: signing.pki.rootCertPem,
      ...(nssDatabase ? { nssDatabase } : {}),
      host,
      stop: async () => {
        await host.close();
        await started.signing.close();
        await started.azurite.stop();
      },
    };
  } catch (error) {
    await signing?.close();
    await azurite?.stop();
    throw error;
  }
}

/**
 * The signing API key the app uses on the local stack: the one in the settings when given, else
 * one made on first start and kept in the state folder, so that restarts keep working.
 */
async function localSigningKey(
  stateDir: string,
  keyId?: string,
  apiKeyHex?: string,
): Promise<{ keyId: string; apiKeyHex: string }> {
  if (keyId && apiKeyHex) return { keyId, apiKeyHex };
  const path = join(stateDir, 'stack', 'signing-key.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { keyId: string; apiKeyHex: string };
  } catch {
    const key = { keyId: randomUUID(), apiKeyHex: randomBytes(32).toString('hex') };
    await mkdir(join(stateDir, 'stack'), { recursive: true });
    await writeFile(path, JSON.stringify(key), { mode: 0o600 });
    return key;
  }
}

/** A random token made on first use and kept in `path` (0600), so restarts keep it. */
async function keptSecret(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const token = randomBytes(24).toString('base64url');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, token, { mode: 0o600 });
    return token;
  }
}
