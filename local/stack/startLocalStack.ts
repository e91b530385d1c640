import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite, type AzuriteInstance } from '../azurite/startAzurite.js';
import { LocalFunctionsHost } from '../host/LocalFunctionsHost.js';
import { JsonLinesTelemetrySink } from '../telemetry/JsonLinesTelemetrySink.js';
import { startSigningService } from '../signing-service/startSigningService.js';
import { ensureNssTrust } from './ensureNssTrust.js';
import { startStackKeyVault, type StackKeyVault } from './startStackKeyVault.js';
import { loadLocalSettings } from './loadLocalSettings.js';
import {
  localStorageDefaults,
  startLocalStorage,
  type LocalStorageStandIns,
} from './startLocalStorage.js';

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
  /** The local Key Vault the app reads its signing keys from; absent with `LOCAL_KEY_VAULT=off`. */
  readonly keyVault?: StackKeyVault['vault'];
  /** `KEY_VAULT_URL` of that vault. */
  readonly keyVaultUrl?: string;
  /** The PEM CA a client of that vault must trust (`KEY_VAULT_CA_FILE`). */
  readonly keyVaultCaFile?: string;
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
  let keyVault: StackKeyVault | undefined;
  let storageStandIns: LocalStorageStandIns | undefined;
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

    // The app reads its signing keys from the local Key Vault, and the rotation engine gets the
    // signing service's key API, unless a vault is configured or LOCAL_KEY_VAULT=off keeps the
    // static TS_API_KEY setup.
    const useLocalVault = !setting('KEY_VAULT_URL') && setting('LOCAL_KEY_VAULT') !== 'off';
    if (useLocalVault) {
      keyVault = await startStackKeyVault({
        stateDir,
        secretName: setting('TS_API_KEY_SECRET_NAME') || 'trusted-signatures-api-key',
        seedKey: {
          ...appKey,
          ...seedExpiry(signing.listKeys().find(({ keyId }) => keyId === appKey.keyId)?.expiresAt),
        },
      });
    }
    const rotationDefaults: Record<string, string> = keyVault
      ? {
          ...keyVault.settings,
          TS_KEY_PROVIDER_URL: signing.url,
          TS_KEY_PROVIDER_TOKEN: signingAdminToken,
          TS_TRUSTED_ROOTS_FILE: join(stateDir, 'signing-service', 'pki', 'root.cert.pem'),
        }
      : {};

    const storage = setting('AzureWebJobsStorage');
    const defaults: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage:
        !storage || storage === 'UseDevelopmentStorage=true' ? azurite.connectionString : storage,
      TS_API_URL: signing.url,
      TS_API_KEY_ID: appKey.keyId,
      TS_API_KEY: appKey.apiKeyHex,
      SEALOPS_TELEMETRY_DIR: telemetryDir,
      ...rotationDefaults,
      ...localStorageDefaults(setting, azurite.connectionString),
    };
    for (const [name, value] of Object.entries({ ...defaults, ...fileSettings })) {
      process.env[name] ??= value;
    }
    if (process.env.AzureWebJobsStorage === 'UseDevelopmentStorage=true') {
      process.env.AzureWebJobsStorage = azurite.connectionString;
    }

    storageStandIns = await startLocalStorage(azurite.connectionString, log);
    const host = await LocalFunctionsHost.start({
      // The app of this very build (`dist`, or another `tsc --outDir`).
      appEntry: fileURLToPath(new URL('../../functions/index.js', import.meta.url)),
      stateFile: join(stateDir, 'host', 'state.json'),
      port: options.port ?? 7071,
      ...(options.functionKey ? { defaultHostKey: options.functionKey } : {}),
      httpLogDirectory: telemetryDir,
      timers: options.timers ?? true,
      log,
    });
    // The rotation engine reaches the host's keys through its admin surface, as ARM on Azure.
    process.env.LOCAL_HOST_URL ??= host.url;
    process.env.LOCAL_HOST_MASTER_KEY ??= host.state.data.masterKey;
    await writeStackSettings(stateDir, [
      ...Object.keys(defaults),
      'LOCAL_HOST_URL',
      'LOCAL_HOST_MASTER_KEY',
    ]);
    const nssDatabase = await ensureNssTrust(join(stateDir, 'nssdb'), signing.pki.rootCertPem);
    // Where the services listen (free ports), for `sealops` incident commands; no secrets.
    await writeFile(
      join(stateDir, 'stack', 'endpoints.json'),
      JSON.stringify({
        baseUrl: `${host.url}/api`,
        signingServiceUrl: signing.url,
        storageConnectionString: process.env.AzureWebJobsStorage,
        telemetryDir,
        keyVaultUrl: process.env.KEY_VAULT_URL,
        keyVaultCaFile: process.env.KEY_VAULT_CA_FILE,
      }),
      { mode: 0o600 },
    );
    const started = { azurite, signing, keyVault, storageStandIns };
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
      ...(keyVault
        ? {
            keyVault: keyVault.vault,
            keyVaultUrl: keyVault.vault.url,
            keyVaultCaFile: keyVault.caFile,
          }
        : {}),
      host,
      stop: async () => {
        await started.storageStandIns.stop();
        await host.close();
        await started.signing.close();
        await started.keyVault?.vault.close();
        await started.azurite.stop();
      },
    };
  } catch (error) {
    await storageStandIns?.stop();
    await signing?.close();
    await keyVault?.vault.close();
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
    // The stack provisioned this key: record its publication as a rotation would, so that the
    // unknown-key-id detection knows it and ordinary seals raise no alert.
    new JsonLinesTelemetrySink(join(stateDir, 'telemetry'), 'sealops').emit({
      name: 'RotationStep',
      credential: 'signing-api-key',
      step: 'publish',
      outcome: 'success',
      keyId: key.keyId,
      reason: 'provisioned by the local stack',
    });
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

function seedExpiry(expiresAt: string | undefined): { expiresOn?: Date } {
  return expiresAt === undefined ? {} : { expiresOn: new Date(expiresAt) };
}

/**
 * Writes the settings the stack gave the app to `<stateDir>/stack/settings.json` (0600), so that
 * `sealops keys` and other commands run against the same vault, storage and host from another
 * process. Local secrets only: the local admin token and master key.
 */
async function writeStackSettings(stateDir: string, names: readonly string[]): Promise<void> {
  const settings = Object.fromEntries(
    names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
  );
  await mkdir(join(stateDir, 'stack'), { recursive: true });
  await writeFile(
    join(stateDir, 'stack', 'settings.json'),
    `${JSON.stringify(settings, null, 2)}
`,
    {
      mode: 0o600,
    },
  );
}
