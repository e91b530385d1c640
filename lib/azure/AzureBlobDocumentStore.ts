import {
  BlobSASPermissions,
  StorageSharedKeyCredential,
  type BlobClient,
  type BlobServiceClient,
  type BlockBlobClient,
  type HttpAuthorization,
} from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { defaultStagingContainer, type StorageCopyMode } from '../config/StorageSettings.js';
import type { PdfSource } from '../sealing/PdfSource.js';
import type { BlobLocation } from '../storage/BlobLocation.js';
import type {
  BlobVersion,
  BlobWriter,
  DocumentStore,
  LeaseAttempt,
} from '../storage/DocumentStore.js';
import { DestinationContainerNotFoundError } from '../storage/errors/DestinationContainerNotFoundError.js';
import { AzureBlobWriter, type CopyPlan, type WriterContext } from './AzureBlobWriter.js';
import { blobPdfSource, pinnedReadError } from './blobPdfSource.js';
import { BlockIdSequence } from './BlockIdSequence.js';
import { storageStatus, toStorageError } from './toStorageError.js';

/** How a writer copies a source blob's bytes into the destination's blocks. */
export type CopyMode = StorageCopyMode;

/** Options of {@link AzureBlobDocumentStore}. */
export interface AzureBlobDocumentStoreOptions {
  /**
   * `service`: the storage service copies the source's ranges itself (Put Block From URL), and
   * only a read for the digest passes through this process. `streamed`: the source is read once
   * through this process, hashed and staged block by block. `auto`: service where the store
   * implements it, streamed where it answers 501 (older Azurite), decided once per process.
   * `staged`: the service copies the whole blob into {@link stagingContainer}, the seal is
   * completed there and the service copies it whole to the destination; where that cannot be
   * done (see `AzureBlobWriter`), streamed. For stores where a whole-blob copy within the
   * account is cheap and Put Block From URL is not, as in Azurite.
   * @default 'auto'
   */
  readonly copyMode?: CopyMode;
  /**
   * The container of staged copies' staging blobs: in the same account, never on the allowlist,
   * readable and writable by this app alone. Staging blobs are deleted as soon as the seal ends;
   * any left by a crash are deleted by a sweep, once they are {@link stagingMaxAgeMs} old, on
   * the next staged copy (the sweep runs at most once in that time).
   * @default 'sealops-staging'
   */
  readonly stagingContainer?: string;
  /** How old a staging blob must be for the sweep to delete it. @default one hour */
  readonly stagingMaxAgeMs?: number;
  /** Block size of a streamed copy. @default 4 MiB */
  readonly streamedBlockBytes?: number;
  /** Blocks of a streamed copy staged at once: memory is about (this + 1) blocks. @default 4 */
  readonly streamedConcurrency?: number;
  /** Block size of a service-side copy. @default 100 MiB */
  readonly serviceBlockBytes?: number;
  /** Blocks the service copies at once. @default 4 */
  readonly serviceConcurrency?: number;
}

/** Azure allows at most 50,000 committed blocks; keep clear of it, the update needs one. */
const maxBlocks = 49_000;
const mebibyte = 1024 * 1024;
/** The storage scope for bearer tokens handed to the service as copy-source authorization. */
const storageScope = 'https://storage.azure.com/.default';
/**
 * A staging blob this old belongs to no running seal (host.json's functionTimeout is 10 minutes)
 * and is deleted.
 */
const defaultStagingMaxAgeMs = 60 * 60_000;

/**
 * The document store over Azure Blob Storage (and Azurite), with the storage SDK's own clients:
 * managed identity or a connection string is the caller's choice of `BlobServiceClient`.
 */
export class AzureBlobDocumentStore implements DocumentStore, WriterContext {
  readonly #service: BlobServiceClient;
  readonly #options: Required<AzureBlobDocumentStoreOptions>;
  /** Whether this store copies on the service; learnt from the first attempt in `auto` mode. */
  #serviceCopy: boolean | undefined;
  /** Whether staged copies are tried: in `staged` mode, until the staging container is missing. */
  #staged: boolean;
  /** When the staging container was last swept of leftovers, in ms since the epoch. */
  #sweptAt = 0;

  constructor(service: BlobServiceClient, options: AzureBlobDocumentStoreOptions = {}) {
    this.#service = service;
    this.#options = {
      copyMode: options.copyMode ?? 'auto',
      streamedBlockBytes: options.streamedBlockBytes ?? 4 * mebibyte,
      streamedConcurrency: options.streamedConcurrency ?? 4,
      serviceBlockBytes: options.serviceBlockBytes ?? 100 * mebibyte,
      serviceConcurrency: options.serviceConcurrency ?? 4,
      stagingContainer: options.stagingContainer ?? defaultStagingContainer,
      stagingMaxAgeMs: options.stagingMaxAgeMs ?? defaultStagingMaxAgeMs,
    };
    const mode = this.#options.copyMode;
    this.#serviceCopy = { auto: undefined, staged: false, service: true, streamed: false }[mode];
    this.#staged = mode === 'staged';
  }

  async find(
    location: BlobLocation,
    role: 'source' | 'destination',
  ): Promise<BlobVersion | undefined> {
    const client = this.#blob(location);
    try {
      const properties = await client.getProperties();
      return {
        location,
        etag: properties.etag ?? '',
        size: properties.contentLength ?? 0,
        ...(properties.contentType ? { contentType: properties.contentType } : {}),
        metadata: properties.metadata ?? {},
      };
    } catch (error) {
      if (storageStatus(error) !== 404) throw toStorageError(error, `reading the ${role} blob`);
    }
    if (role === 'destination' && !(await this.#containerExists(location.container))) {
      throw new DestinationContainerNotFoundError(location.container);
    }
    return undefined;
  }

  open(version: BlobVersion): PdfSource {
    return blobPdfSource(this.#blob(version.location), version);
  }

  async createWriter(
    destination: BlobLocation,
    options: { readonly replacing?: BlobVersion } = {},
  ): Promise<BlobWriter> {
    const client = this.#blob(destination).getBlockBlobClient();
    let firstId: string | undefined;
    if (options.replacing) {
      try {
        const list = await client.getBlockList('all');
        firstId = (list.committedBlocks?.[0] ?? list.uncommittedBlocks?.[0])?.name;
      } catch (error) {
        // A blob written in one piece (Put Blob) or deleted meanwhile has no blocks to match.
        if (storageStatus(error) !== 404) throw toStorageError(error, 'reading the destination');
      }
    }
    return new AzureBlobWriter(destination, client, BlockIdSequence.matching(firstId), this);
  }

  async lease(location: BlobLocation, seconds: number): Promise<LeaseAttempt> {
    const leaseClient = this.#blob(location).getBlobLeaseClient();
    try {
      await leaseClient.acquireLease(seconds);
    } catch (error) {
      const status = storageStatus(error);
      if (status === 404) return { outcome: 'missing' };
      if (status === 409) return { outcome: 'taken' };
      throw toStorageError(error, 'leasing the blob');
    }
    const version = await this.find(location, 'source');
    const lease = {
      leaseId: leaseClient.leaseId,
      renew: async () => void (await leaseClient.renewLease()),
      release: async () => void (await leaseClient.releaseLease()),
    };
    if (!version) return { outcome: 'missing' };
    return { outcome: 'leased', lease, version };
  }

  async delete(location: BlobLocation, leaseId?: string): Promise<void> {
    try {
      await this.#blob(location).deleteIfExists({
        deleteSnapshots: 'include',
        ...(leaseId ? { conditions: { leaseId } } : {}),
      });
    } catch (error) {
      throw toStorageError(error, 'deleting the blob');
    }
  }

  /** For the writers: block sizes and concurrency for a copy of `size` bytes. */
  copyPlan(size: number): CopyPlan {
    // Blocks grow, in whole MiB, only when the configured size would need too many of them.
    const needed = Math.ceil(size / maxBlocks);
    const atLeast = (bytes: number) =>
      needed <= bytes ? bytes : Math.ceil(needed / mebibyte) * mebibyte;
    return {
      staged: this.#staged,
      service: this.#serviceCopy,
      streamed: {
        blockSize: atLeast(this.#options.streamedBlockBytes),
        concurrency: this.#options.streamedConcurrency,
      },
      onService: {
        blockSize: atLeast(this.#options.serviceBlockBytes),
        concurrency: this.#options.serviceConcurrency,
      },
    };
  }

  /** For the writers: records whether the service copies (in `auto` mode). */
  learnServiceCopy(supported: boolean): void {
    if (this.#options.copyMode === 'auto') this.#serviceCopy = supported;
  }

  /** For the writers: a fresh staging blob, named by a random UUID and nothing of the document. */
  async stagingBlob(): Promise<{ location: BlobLocation; client: BlockBlobClient }> {
    // Swept at most once per maximum age: nothing can have grown stale in between.
    if (Date.now() - this.#sweptAt >= this.#options.stagingMaxAgeMs) await this.#sweepStaging();
    const location = { container: this.#options.stagingContainer, blob: randomUUID() };
    return { location, client: this.#blob(location).getBlockBlobClient() };
  }

  /** For the writers: the staging container does not exist, so staged copies stop here. */
  learnStagingMissing(): void {
    this.#staged = false;
  }

  /** For the writers: the pinned source's bytes, streamed once, each read on its ETag. */
  async *readAll(version: BlobVersion, abortSignal?: AbortSignal): AsyncIterable<Uint8Array> {
    if (version.size === 0) return;
    try {
      const response = await this.#blob(version.location).download(0, version.size, {
        conditions: { ifMatch: version.etag },
        maxRetryRequests: 5,
        ...(abortSignal ? { abortSignal } : {}),
      });
      yield* (response.readableStreamBody ?? []) as AsyncIterable<Buffer>;
    } catch (error) {
      throw pinnedReadError(error, version);
    }
  }

  /**
   * For the writers: how the storage service may read the source. With an account key, a
   * read-only SAS for this blob that expires in two hours; with a token credential
   * (managed identity), the identity's bearer token, fetched per call so that it never expires
   * mid-copy; otherwise the client's URL, which then carries its own SAS.
   */
  async copySource(
    location: BlobLocation,
  ): Promise<{ readonly url: string; readonly authorization?: HttpAuthorization }> {
    const client = this.#blob(location);
    const credential = client.credential;
    if (credential instanceof StorageSharedKeyCredential) {
      const now = Date.now();
      const url = await client.generateSasUrl({
        permissions: BlobSASPermissions.parse('r'),
        startsOn: new Date(now - 5 * 60_000),
        expiresOn: new Date(now + 2 * 3600_000),
      });
      return { url };
    }
    if ('getToken' in credential && typeof credential.getToken === 'function') {
      const token = await credential.getToken(storageScope);
      if (token) {
        return { url: client.url, authorization: { scheme: 'Bearer', value: token.token } };
      }
    }
    return { url: client.url };
  }

  /**
   * Deletes staging blobs left by seals that never ended (a crashed or recycled worker): they
   * hold copies of documents, which this app keeps no longer than a seal lasts. Best effort: a
   * failure here must not fail the seal, and the next sweep tries again.
   */
  async #sweepStaging(): Promise<void> {
    this.#sweptAt = Date.now();
    const container = this.#service.getContainerClient(this.#options.stagingContainer);
    try {
      for await (const blob of container.listBlobsFlat()) {
        const age = this.#sweptAt - blob.properties.lastModified.getTime();
        if (age >= this.#options.stagingMaxAgeMs) {
          await container.deleteBlob(blob.name, { deleteSnapshots: 'include' });
        }
      }
    } catch {
      // Missing container, no list permission, a blob deleted meanwhile: all left for later.
    }
  }

  #blob(location: BlobLocation): BlobClient {
    return this.#service.getContainerClient(location.container).getBlobClient(location.blob);
  }

  async #containerExists(container: string): Promise<boolean> {
    try {
      return await this.#service.getContainerClient(container).exists();
    } catch (error) {
      throw toStorageError(error, 'checking the destination container');
    }
  }
}
