import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { StorageSettings } from '../config/StorageSettings.js';
import { ContainerAllowlist } from '../storage/ContainerAllowlist.js';
import type { StorageServices } from '../storage/StorageServices.js';
import { unconfiguredDocumentStore } from '../storage/unconfiguredDocumentStore.js';
import { AzureBlobDocumentStore } from './AzureBlobDocumentStore.js';

/**
 * Storage mode's services from its settings: a Blob Storage client by connection string (Azurite
 * on the local stack) or by account URL with DefaultAzureCredential (the managed identity on
 * Azure), and the container allowlist.
 */
export function createStorageServices(settings: StorageSettings): StorageServices {
  const allowlist = new ContainerAllowlist(settings.allowedContainers);
  const dropFolder = settings.dropFolder ? { dropFolder: settings.dropFolder } : {};
  if (!settings.account) return { store: unconfiguredDocumentStore(), allowlist, ...dropFolder };
  const service =
    settings.account.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(settings.account.connectionString)
      : new BlobServiceClient(settings.account.accountUrl, new DefaultAzureCredential());
  const store = new AzureBlobDocumentStore(service, {
    copyMode: settings.copyMode,
    stagingContainer: settings.stagingContainer,
  });
  return { store, allowlist, ...dropFolder };
}
