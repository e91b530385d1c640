import { BlobServiceClient } from '@azure/storage-blob';
import { defaultStagingContainer } from '../../lib/config/StorageSettings.js';
import { dropFolderQueue } from '../../lib/storage/dropFolder/dropFolderQueue.js';
import {
  startBlobCreatedRelay,
  type BlobCreatedRelay,
} from '../eventgrid/startBlobCreatedRelay.js';

/** Containers the local stack allows and creates when storage mode is left to its defaults. */
const localContainers = ['documents', 'sealed', 'inbox', 'outbox', 'failed'];

/**
 * Storage-mode settings for the local stack, for whatever the environment and
 * `local.settings.json` leave unset: Azurite as the account, five containers (`documents` and
 * `sealed` for HTTP requests, `inbox`, `outbox` and `failed` for the drop folder), and staged
 * copies.
 *
 * Azurite 3.37 copies a whole blob within its account at once and before it answers, keeping the
 * committed blocks, while it accepts uploaded blocks at about a third of the speed it serves
 * them, and its Put Block From URL fetches every range over its own loopback. So `staged` (two
 * whole-blob copies, no upload) is the fast mode here; `SEAL_STORAGE_COPY=auto` or `streamed`
 * shows the other paths.
 */
export function localStorageDefaults(
  setting: (name: string) => string | undefined,
  azuriteConnectionString: string,
): Record<string, string> {
  const account: Record<string, string> =
    setting('SEAL_STORAGE_CONNECTION') || setting('SEAL_STORAGE_ACCOUNT_URL')
      ? {}
      : { SEAL_STORAGE_CONNECTION: azuriteConnectionString, SEAL_STORAGE_COPY: 'staged' };
  const containers: Record<string, string> = setting('SEAL_ALLOWED_CONTAINERS')
    ? {}
    : {
        SEAL_ALLOWED_CONTAINERS: localContainers.join(','),
        SEAL_DROP_INBOX: 'inbox',
        SEAL_DROP_OUTBOX: 'outbox',
        SEAL_DROP_FAILED: 'failed',
      };
  return { ...account, ...containers };
}

/** The local stand-ins of storage mode, once the settings are in the environment. */
export interface LocalStorageStandIns {
  /** The Event Grid stand-in feeding the drop-folder queue; absent without a drop folder. */
  readonly relay?: BlobCreatedRelay;
  stop(): Promise<void>;
}

/**
 * Prepares storage mode on the local stack: when the account is the stack's own Azurite, creates
 * the allowed containers and, for staged copies, the staging container (so that a newcomer can
 * upload at once; the app itself never creates containers), and when a drop folder is
 * configured, starts the stand-in for the Event Grid
 * subscription that feeds its queue. `LOCAL_DROP_POLL_MS` sets how often it looks (default 1000).
 */
export async function startLocalStorage(
  azuriteConnectionString: string,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalStorageStandIns> {
  const connection = env.SEAL_STORAGE_CONNECTION;
  if (connection === azuriteConnectionString) {
    const service = BlobServiceClient.fromConnectionString(connection);
    const names = (env.SEAL_ALLOWED_CONTAINERS ?? '').split(',').map((name) => name.trim());
    if (env.SEAL_STORAGE_COPY === 'staged') {
      names.push(env.SEAL_STAGING_CONTAINER || defaultStagingContainer);
    }
    await Promise.all(
      names.filter(Boolean).map((name) => service.getContainerClient(name).createIfNotExists()),
    );
  }
  const inbox = env.SEAL_DROP_INBOX;
  const queueConnection = env.AzureWebJobsStorage;
  if (!connection || !inbox || !queueConnection) return { stop: () => Promise.resolve() };
  const relay = await startBlobCreatedRelay({
    blobConnectionString: connection,
    container: inbox,
    queueConnectionString: queueConnection,
    queueName: dropFolderQueue,
    pollIntervalMs: Number(env.LOCAL_DROP_POLL_MS ?? 1000),
    log,
  });
  return { relay, stop: () => relay.stop() };
}
