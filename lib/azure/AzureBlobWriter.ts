import type { BlockBlobClient, HttpAuthorization } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { sameLocation, type BlobLocation } from '../storage/BlobLocation.js';
import type {
  BlobVersion,
  BlobWriter,
  CommitCondition,
  CommitProperties,
  CopyMethod,
} from '../storage/DocumentStore.js';
import { DestinationChangedError } from '../storage/errors/DestinationChangedError.js';
import { DestinationContainerNotFoundError } from '../storage/errors/DestinationContainerNotFoundError.js';
import { DestinationExistsError } from '../storage/errors/DestinationExistsError.js';
import { DestinationLeasedError } from '../storage/errors/DestinationLeasedError.js';
import { SourceChangedError } from '../storage/errors/SourceChangedError.js';
import { StorageAccessDeniedError } from '../storage/errors/StorageAccessDeniedError.js';
import { StorageUnavailableError } from '../storage/errors/StorageUnavailableError.js';
import { pinnedReadError } from './blobPdfSource.js';
import type { BlockIdSequence } from './BlockIdSequence.js';
import { stageInBlocks } from './stageInBlocks.js';
import { storageCode, storageStatus, toStorageError } from './toStorageError.js';

/** How to copy a source of a given size. */
export interface CopyPlan {
  /** Whether the store copies on the service; undefined until it has been tried. */
  readonly service: boolean | undefined;
  readonly streamed: { readonly blockSize: number; readonly concurrency: number };
  readonly onService: { readonly blockSize: number; readonly concurrency: number };
}

/** What a writer needs from its store. */
export interface WriterContext {
  copyPlan(size: number): CopyPlan;
  learnServiceCopy(supported: boolean): void;
  readAll(version: BlobVersion, abortSignal?: AbortSignal): AsyncIterable<Uint8Array>;
  copySource(
    location: BlobLocation,
  ): Promise<{ readonly url: string; readonly authorization?: HttpAuthorization }>;
}

/** The first block of a service-side copy is this small: it finds out whether the service copies. */
const probeBytes = 4 * 1024 * 1024;
/** Azure's limit of committed blocks per blob, less one for the update. */
const maxCommittedBlocks = 50_000 - 1;

/**
 * Writes a destination block blob from staged blocks: the source's bytes (copied on the service
 * or streamed), then the update. Nothing is visible until {@link commit}; blocks of a writer
 * that is never committed are discarded by the service (after a week on Azure).
 */
export class AzureBlobWriter implements BlobWriter {
  readonly destination: BlobLocation;
  readonly #client: BlockBlobClient;
  readonly #ids: BlockIdSequence;
  readonly #store: WriterContext;
  readonly #blocks: string[] = [];
  #size = 0;

  constructor(
    destination: BlobLocation,
    client: BlockBlobClient,
    ids: BlockIdSequence,
    store: WriterContext,
  ) {
    this.destination = destination;
    this.#client = client;
    this.#ids = ids;
    this.#store = store;
  }

  async copy(source: BlobVersion, tap?: (chunk: Uint8Array) => void): Promise<CopyMethod> {
    if (sameLocation(source.location, this.destination) && this.#blocks.length === 0) {
      if (await this.#reuseCommittedBlocks(source, tap)) return 'in-place';
    }
    const plan = this.#store.copyPlan(source.size);
    if (plan.service !== false && source.size > 0) {
      const copied = await this.#copyOnService(source, plan.onService, tap);
      if (copied) return 'service';
    }
    await this.#copyByStreaming(source, plan.streamed, tap);
    return 'streamed';
  }

  async append(bytes: Uint8Array): Promise<void> {
    const id = this.#ids.next();
    await this.#stage(id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.#blocks.push(id);
    this.#size += bytes.byteLength;
  }

  async commit(condition: CommitCondition, properties: CommitProperties): Promise<BlobVersion> {
    try {
      const response = await this.#client.commitBlockList(this.#blocks, {
        conditions:
          condition.kind === 'absent' ? { ifNoneMatch: '*' } : { ifMatch: condition.etag },
        blobHTTPHeaders: { blobContentType: properties.contentType },
        metadata: { ...properties.metadata },
      });
      return {
        location: this.destination,
        etag: response.etag ?? '',
        size: this.#size,
        contentType: properties.contentType,
        metadata: properties.metadata,
      };
    } catch (error) {
      const status = storageStatus(error);
      if (status === 409 && condition.kind === 'absent') {
        throw new DestinationExistsError(this.destination);
      }
      // 412: the ETag moved. 400 InvalidBlockList: someone else committed this blob meanwhile,
      // and the service dropped the blocks staged here with it.
      if (status === 412 || status === 409 || storageCode(error) === 'InvalidBlockList') {
        throw this.#writeConflict(error);
      }
      throw this.#writeError(error, 'committing the destination');
    }
  }

  /**
   * Sealing a blob in place: when its committed blocks hold all of it, they are committed again
   * ahead of the update, so nothing is copied and only the read for the digest remains. A blob
   * written in one piece (Put Blob) has no blocks to reuse.
   *
   * @returns false when the blocks cannot be reused
   */
  async #reuseCommittedBlocks(
    source: BlobVersion,
    tap?: (chunk: Uint8Array) => void,
  ): Promise<boolean> {
    let blocks: { name: string; size: number }[];
    try {
      blocks = (await this.#client.getBlockList('committed')).committedBlocks ?? [];
    } catch (error) {
      throw pinnedReadError(error, source);
    }
    const size = blocks.reduce((total, block) => total + block.size, 0);
    if (blocks.length === 0 || blocks.length >= maxCommittedBlocks || size !== source.size) {
      return false;
    }
    if (tap) for await (const chunk of this.#store.readAll(source)) tap(chunk);
    this.#blocks.push(...blocks.map((block) => block.name));
    this.#size += size;
    return true;
  }

  /**
   * Stages the source's ranges with Put Block From URL while `tap` reads the source once for
   * the digest. The first, small block is staged alone: a store that answers 501 gets a
   * streamed copy instead, and the store remembers the answer.
   *
   * @returns false when the store does not copy on the service
   */
  async #copyOnService(
    source: BlobVersion,
    { blockSize, concurrency }: { blockSize: number; concurrency: number },
    tap?: (chunk: Uint8Array) => void,
  ): Promise<boolean> {
    const ranges: { offset: number; count: number; id: string }[] = [];
    for (let offset = 0; offset < source.size;) {
      const count = Math.min(offset === 0 ? probeBytes : blockSize, source.size - offset);
      ranges.push({ offset, count, id: this.#ids.next() });
      offset += count;
    }
    const stageRange = async (index: number, abortSignal?: AbortSignal): Promise<void> => {
      const range = ranges[index];
      if (!range) return;
      const { url, authorization } = await this.#store.copySource(source.location);
      await this.#client.stageBlockFromURL(range.id, url, range.offset, range.count, {
        ...(authorization ? { sourceAuthorization: authorization } : {}),
        ...(abortSignal ? { abortSignal } : {}),
      });
    };

    try {
      await stageRange(0);
      this.#store.learnServiceCopy(true);
    } catch (error) {
      if (storageStatus(error) === 501) {
        this.#store.learnServiceCopy(false);
        return false;
      }
      throw this.#copyError(error, source);
    }

    let next = 1;
    const worker = async (signal: AbortSignal) => {
      while (next < ranges.length && !signal.aborted) await stageRange(next++, signal);
    };
    const read = async (signal: AbortSignal) => {
      if (!tap) return;
      for await (const chunk of this.#store.readAll(source, signal)) tap(chunk);
    };
    try {
      await allOrNothing([...Array.from({ length: concurrency }, () => worker), read]);
    } catch (error) {
      throw this.#copyError(error, source);
    }
    this.#blocks.push(...ranges.map((range) => range.id));
    this.#size += source.size;
    return true;
  }

  async #copyByStreaming(
    source: BlobVersion,
    options: { blockSize: number; concurrency: number },
    tap?: (chunk: Uint8Array) => void,
  ): Promise<void> {
    const ids: string[] = [];
    const copied = await stageInBlocks(
      this.#store.readAll(source),
      async (bytes, index) => {
        const id = this.#ids.next();
        ids[index] = id;
        await this.#stage(id, bytes);
      },
      { ...options, ...(tap ? { tap } : {}) },
    );
    if (copied !== source.size) throw new SourceChangedError(source.location, 'during');
    this.#blocks.push(...ids);
    this.#size += copied;
  }

  /**
   * Stages one block with its MD5, which the service checks: the block cannot be corrupted on
   * the way unseen, and Azurite checks an MD5 natively where it would otherwise compute a CRC64
   * in JavaScript (about three times slower for the whole copy).
   */
  async #stage(id: string, bytes: Buffer): Promise<void> {
    try {
      await this.#client.stageBlock(id, bytes, bytes.byteLength, {
        transactionalContentMD5: createHash('md5').update(bytes).digest(),
      });
    } catch (error) {
      if (storageStatus(error) === 412) throw this.#writeConflict(error);
      throw this.#writeError(error, 'writing the destination');
    }
  }

  #copyError(error: unknown, source: BlobVersion): unknown {
    const code = storageCode(error);
    if (code === 'CannotVerifyCopySource' || code === 'SourceConditionNotMet') {
      // The service could not read the source: gone, no longer this version, or not allowed.
      const details = (error as { details?: { copySourceStatusCode?: number } }).details;
      const sourceStatus = details?.copySourceStatusCode ?? storageStatus(error);
      if (code === 'SourceConditionNotMet' || sourceStatus === 404 || sourceStatus === 412) {
        return new SourceChangedError(source.location, 'during');
      }
      if (sourceStatus === 401 || sourceStatus === 403) {
        return new StorageAccessDeniedError('letting the service read the source', code);
      }
      return new StorageUnavailableError('copying the source on the service', sourceStatus, {
        cause: error,
      });
    }
    if (storageStatus(error) === 412) return this.#writeConflict(error);
    return this.#writeError(error, 'copying the source into the destination');
  }

  #writeConflict(error: unknown): unknown {
    const code = storageCode(error);
    if (code === 'LeaseIdMissing' || code === 'LeaseIdMismatchWithBlobOperation') {
      return new DestinationLeasedError(this.destination);
    }
    return new DestinationChangedError(this.destination);
  }

  #writeError(error: unknown, operation: string): unknown {
    if (storageCode(error) === 'ContainerNotFound' || storageStatus(error) === 404) {
      return new DestinationContainerNotFoundError(this.destination.container);
    }
    return toStorageError(error, operation);
  }
}

/**
 * Runs every task to the end; on the first failure the others are told to stop (through the
 * signal) and are waited for, then that failure is thrown.
 */
async function allOrNothing(
  tasks: readonly ((signal: AbortSignal) => Promise<void>)[],
): Promise<void> {
  const controller = new AbortController();
  let failure: { error: unknown } | undefined;
  await Promise.all(
    tasks.map((task) =>
      task(controller.signal).catch((error: unknown) => {
        failure ??= { error };
        controller.abort();
      }),
    ),
  );
  if (failure) throw failure.error;
}
