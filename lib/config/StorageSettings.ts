import { checkContainerName } from '../storage/checkBlobLocation.js';
import { ConfigurationError } from './ConfigurationError.js';

/** How the original bytes reach the destination blob; see `AzureBlobDocumentStoreOptions`. */
export const storageCopyModes = ['auto', 'service', 'staged', 'streamed'] as const;
export type StorageCopyMode = (typeof storageCopyModes)[number];

/** Where staged copies seal unless `SEAL_STAGING_CONTAINER` says otherwise. */
export const defaultStagingContainer = 'sealops-staging';

/** The drop folder: PDFs dropped in `inbox` are sealed into `outbox`, or moved to `failed`. */
export interface DropFolderSettings {
  readonly inbox: string;
  readonly outbox: string;
  readonly failed: string;
}

/** Storage mode's settings. */
export interface StorageSettings {
  /**
   * The storage account: `SEAL_STORAGE_CONNECTION` (a connection string) or
   * `SEAL_STORAGE_ACCOUNT_URL` (`https://<account>.blob.core.windows.net`, reached with the app's
   * managed identity through DefaultAzureCredential). Absent: storage mode is off.
   */
  readonly account?:
    | { readonly kind: 'connectionString'; readonly connectionString: string }
    | { readonly kind: 'accountUrl'; readonly accountUrl: string };
  /**
   * `SEAL_ALLOWED_CONTAINERS`, comma-separated: the only containers storage mode reads or
   * writes. @default none, so storage mode refuses every request
   */
  readonly allowedContainers: readonly string[];
  /** `SEAL_STORAGE_COPY`. @default 'auto' */
  readonly copyMode: StorageCopyMode;
  /**
   * `SEAL_STAGING_CONTAINER`: where `staged` copies seal before they are copied to the
   * destination; in `staged` mode it must not be on the allowlist, or a request could read
   * another's document mid-seal. @default 'sealops-staging'
   */
  readonly stagingContainer: string;
  /** `SEAL_DROP_INBOX`, `SEAL_DROP_OUTBOX`, `SEAL_DROP_FAILED`: all three, or none (no drop folder). */
  readonly dropFolder?: DropFolderSettings;
}

/** Reads and checks storage mode's settings; throws {@link ConfigurationError} naming the first bad one. */
export function loadStorageSettings(env: NodeJS.ProcessEnv): StorageSettings {
  const connectionString = env.SEAL_STORAGE_CONNECTION?.trim();
  const accountUrl = env.SEAL_STORAGE_ACCOUNT_URL?.trim().replace(/\/+$/, '');
  if (connectionString && accountUrl) {
    throw new ConfigurationError(
      'SEAL_STORAGE_ACCOUNT_URL',
      'set along with SEAL_STORAGE_CONNECTION (set one)',
    );
  }
  if (accountUrl && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(accountUrl)) {
    throw new ConfigurationError('SEAL_STORAGE_ACCOUNT_URL', 'not an http(s) URL');
  }
  const account = connectionString
    ? ({ kind: 'connectionString', connectionString } as const)
    : accountUrl
      ? ({ kind: 'accountUrl', accountUrl } as const)
      : undefined;

  const allowedContainers = containerList(env, 'SEAL_ALLOWED_CONTAINERS');
  if (allowedContainers.length > 0 && !account) {
    throw new ConfigurationError(
      'SEAL_STORAGE_CONNECTION',
      'missing while SEAL_ALLOWED_CONTAINERS names containers (set it or SEAL_STORAGE_ACCOUNT_URL)',
    );
  }
  const copyMode = env.SEAL_STORAGE_COPY?.trim() || 'auto';
  if (!storageCopyModes.includes(copyMode as StorageCopyMode)) {
    throw new ConfigurationError('SEAL_STORAGE_COPY', `not one of ${storageCopyModes.join(', ')}`);
  }
  const stagingContainer = container(env, 'SEAL_STAGING_CONTAINER') ?? defaultStagingContainer;
  if (copyMode === 'staged' && allowedContainers.includes(stagingContainer)) {
    throw new ConfigurationError(
      'SEAL_STAGING_CONTAINER',
      'a container in SEAL_ALLOWED_CONTAINERS (requests could read documents being sealed)',
    );
  }
  return {
    ...(account ? { account } : {}),
    allowedContainers,
    copyMode: copyMode as StorageCopyMode,
    stagingContainer,
    ...dropFolder(env, allowedContainers),
  };
}

function dropFolder(
  env: NodeJS.ProcessEnv,
  allowed: readonly string[],
): { dropFolder?: DropFolderSettings } {
  const names = ['SEAL_DROP_INBOX', 'SEAL_DROP_OUTBOX', 'SEAL_DROP_FAILED'] as const;
  const [inbox, outbox, failed] = names.map((name) => container(env, name));
  if (!inbox && !outbox && !failed) return {};
  if (!inbox || !outbox || !failed) {
    const missing = names.find((name) => !container(env, name)) ?? names[0];
    throw new ConfigurationError(missing, 'missing (the drop folder needs all three containers)');
  }
  if (new Set([inbox, outbox, failed]).size !== 3) {
    throw new ConfigurationError(
      'SEAL_DROP_OUTBOX',
      'the same container as another drop-folder container',
    );
  }
  for (const [index, name] of [inbox, outbox, failed].entries()) {
    if (!allowed.includes(name)) {
      throw new ConfigurationError(
        names[index] ?? names[0],
        'a container not in SEAL_ALLOWED_CONTAINERS',
      );
    }
  }
  return { dropFolder: { inbox, outbox, failed } };
}

function container(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  try {
    return checkContainerName(value, name);
  } catch {
    throw new ConfigurationError(name, 'not a valid container name');
  }
}

function containerList(env: NodeJS.ProcessEnv, name: string): string[] {
  const values = (env[name] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  for (const value of values) {
    try {
      checkContainerName(value, name);
    } catch {
      throw new ConfigurationError(
        name,
        `holding "${value.slice(0, 63)}", not a valid container name`,
      );
    }
  }
  return [...new Set(values)];
}
