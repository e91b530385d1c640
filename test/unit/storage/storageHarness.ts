import { BlobServiceClient } from '@azure/storage-blob';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';
import {
  AzureBlobDocumentStore,
  type AzureBlobDocumentStoreOptions,
} from '../../../lib/azure/AzureBlobDocumentStore.js';
import { SigningApiClient } from '../../../lib/signing/SigningApiClient.js';
import { staticCredentials } from '../../../lib/signing/staticCredentials.js';
import { ContainerAllowlist } from '../../../lib/storage/ContainerAllowlist.js';
import type { StoredSealRequest } from '../../../lib/storage/StoredSealRequest.js';
import {
  startSigningServiceFixture,
  type SigningServiceFixture,
} from '../../support/signingServiceFixture.js';

/** Containers every harness creates; the allowlist holds all of them. */
export const containers = ['documents', 'sealed', 'archive'] as const;

/** A real Azurite and a local signing service for storage-mode tests, in temporary folders. */
export interface StorageHarness {
  readonly azurite: AzuriteInstance;
  readonly service: BlobServiceClient;
  readonly signing: SigningServiceFixture;
  readonly signer: SigningApiClient;
  readonly allowlist: ContainerAllowlist;
  readonly trustedRoots: readonly string[];
  /** A document store over this Azurite (or `connectionString`, a proxy in front of it). */
  store(options?: AzureBlobDocumentStoreOptions, connectionString?: string): AzureBlobDocumentStore;
  upload(container: string, blob: string, bytes: Uint8Array): Promise<string>;
  download(container: string, blob: string): Promise<Buffer>;
  exists(container: string, blob: string): Promise<boolean>;
  dispose(): Promise<void>;
}

export async function startStorageHarness(): Promise<StorageHarness> {
  const location = await mkdtemp(join(tmpdir(), 'sealops-azurite-'));
  const [azurite, signing] = await Promise.all([
    startAzurite({ location }),
    startSigningServiceFixture(),
  ]);
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  await Promise.all(containers.map((name) => service.getContainerClient(name).create()));
  const blob = (container: string, name: string) =>
    service.getContainerClient(container).getBlockBlobClient(name);
  return {
    azurite,
    service,
    signing,
    signer: new SigningApiClient({
      baseUrl: signing.service.url,
      credentials: staticCredentials(signing.key.keyId, signing.key.apiKeyHex),
    }),
    allowlist: new ContainerAllowlist(containers),
    trustedRoots: [signing.service.pki.rootCertPem],
    store: (options = {}, connectionString = azurite.connectionString) =>
      new AzureBlobDocumentStore(BlobServiceClient.fromConnectionString(connectionString), options),
    upload: async (container, name, bytes) =>
      (await blob(container, name).upload(bytes, bytes.byteLength)).etag ?? '',
    download: (container, name) => blob(container, name).downloadToBuffer(),
    exists: (container, name) => blob(container, name).exists(),
    dispose: async () => {
      await azurite.stop();
      await signing.dispose();
      await rm(location, { recursive: true, force: true });
    },
  };
}

/** A request sealing `documents/<source>` into `sealed/<destination>`. */
export function sealRequest(
  source: string,
  destination = source,
  extra: Partial<StoredSealRequest> = {},
): StoredSealRequest {
  return {
    source: { container: 'documents', blob: source },
    destination: { container: 'sealed', blob: destination },
    seal: { signingTime: new Date('2024-05-06T07:08:09Z') },
    ...extra,
  };
}
