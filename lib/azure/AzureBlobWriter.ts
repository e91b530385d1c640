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
import { BlockIdSequence } from './BlockIdSequence.js';
import { stageInBlocks } from './stageInBlocks.js';
import { storageCode, storageStatus, toStorageError } from './toStorageError.js';

/** How to copy a source of a given size. */
export interface CopyPlan {
  /** Whether to try a staged copy first (see {@link AzureBlobWriter}). */
  readonly staged: boolean;
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
  /** A new, unused name in the staging container, for a staged copy. */
  stagingBlob(): Promise<{ readonly location: BlobLocation; readonly client: BlockBlobClient }>;
  /** Records that the staging container is missing, so that staged copies stop being tried. */
  learnStagingMissing(): void;
}

/** The blob a staged copy seals before it is copied to the destination. */
interface Staging {
  readonly location: BlobLocation;
  readonly client: BlockBlobClient;
  /** IDs of the length the copied blocks have: a blob's block IDs must all be one length. */
  readonly ids: BlockIdSequence;
  /** The version the copy made; the update is committed on condition that it is still this. */
  readonly etag: string;
}

/** The first block of a service-side copy is this small: it finds out whether the service copies. */
const probeBytes = 4 * 1024 * 1024;
/** Azure's limit of committed blocks per blob, less one for the update. */
const maxCommittedBlocks = 50_000 - 1;

/**
 * Writes a destination block blob from staged blocks: the source's bytes, then the update.
 * Nothing is visible until {@link commit}; blocks of a writer that is never committed are
 * discarded by the service (after a week on Azure).
 *
 * The source's bytes get there in one of four ways, the first that applies:
 * - `in-place`: the destination is the source, and its committed blocks are committed again;
 * - `staged`: Copy Blob makes a staging blob with the source's committed blocks, the update is
 *   committed after them there, and Copy Blob From URL, which the service completes before it
 *   answers, puts the sealed blob under the destination's name in one step. Two whole-blob
 *   copies on the service and no upload: what Azurite does fastest;
 * - `service`: Put Block From URL copies the source range by range into the destination's blocks;
 * - `streamed`: the source is read through this process and uploaded block by block.
 */
export class AzureBlobWriter implements BlobWriter {
  readonly destination: BlobLocation;
  readonly #client: BlockBlobClient;
  readonly #ids: BlockIdSequence;
  readonly #store: WriterContext;
  readonly #blocks: string[] = [];
  #size = 0;
  /** Set once a staged copy holds the source's bytes: the update goes there, not to the destination. */
  #staging: Staging | undefined;

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
    if (plan.staged && source.size > 0 && !sameLocation(source.location, this.destination)) {
      if (await this.#copyIntoStaging(source, tap)) return 'staged';
    }
    if (plan.service !== false && source.size > 0) {
      const copied = await this.#copyOnService(source, plan.onService, tap);
      if (copied) return 'service';
    }
    await this.#copyByStreaming(source, plan.streamed, tap);
    return 'streamed';
  }

  async append(bytes: Uint8Array): Promise<void> {
    const target = this.#staging ?? { client: this.#client, ids: this.#ids };
    const id = target.ids.next();
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.#stage(target.client, id, buffer);
    this.#blocks.push(id);
    this.#size += bytes.byteLength;
  }

  async commit(condition: CommitCondition, properties: CommitProperties): Promise<BlobVersion> {
    if (this.#staging) return this.#commitStaged(this.#staging, condition, properties);
    try {
      const response = await this.#client.commitBlockList(this.#blocks, {
        conditions: destinationConditions(condition),
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
      throw this.#commitError(error, condition);
    }
  }

  async dispose(): Promise<void> {
    const staging = this.#staging;
    this.#staging = undefined;
    await staging?.client.deleteIfExists().catch(() => undefined);
  }

  /**
   * The staged copy's first half: Copy Blob, on condition that the source is still the pinned
   * version, into a fresh staging blob, then one read of that blob for the digest. Within one
   * account the service copies a block blob's committed blocks (and their IDs) without moving
   * the bytes through anyone, so the update can be committed after them.
   *
   * @returns false, with nothing left behind, when the staged copy cannot be used: the staging
   *   container is missing (remembered), the service did not finish the copy before answering
   *   (a large copy on Azure may be scheduled for later), or the blob has no committed blocks
   *   that hold all of it (a blob uploaded in one piece with Put Blob)
   */
  async #copyIntoStaging(source: BlobVersion, tap?: (chunk: Uint8Array) => void): Promise<boolean> {
    const { location, client } = await this.#store.stagingBlob();
    let etag: string;
    try {
      const { url } = await this.#store.copySource(source.location);
      // The poller has made the Copy Blob request once; it is not polled further.
      const poller = await client.beginCopyFromURL(url, {
        sourceConditions: { ifMatch: source.etag },
      });
      const started = poller.getOperationState();
      if (!started.isCompleted || started.result?.copyStatus !== 'success') {
        await poller.cancelOperation().catch(() => undefined);
        await client.deleteIfExists().catch(() => undefined);
        return false;
      }
      etag = started.result.etag ?? '';
    } catch (error) {
      const code = storageCode(error);
      if (code === 'ContainerNotFound') {
        this.#store.learnStagingMissing();
        return false;
      }
      // Only the source carries a condition here: 412 and a missing blob are the source's.
      if (storageStatus(error) === 412 || code === 'BlobNotFound') {
        throw new SourceChangedError(source.location, 'during');
      }
      throw this.#copyError(error, source);
    }

    let blocks: { name: string; size: number }[];
    try {
      blocks = (await client.getBlockList('committed')).committedBlocks ?? [];
    } catch (error) {
      await client.deleteIfExists().catch(() => undefined);
      throw toStorageError(error, 'reading the staging blob');
    }
    if (!holdAll(blocks, source.size)) {
      await client.deleteIfExists().catch(() => undefined);
      return false;
    }
    this.#staging = { location, client, etag, ids: BlockIdSequence.matching(blocks[0]?.name) };
    // The digest is taken over the staging blob itself: exactly the bytes that will be committed.
    if (tap) {
      const copied: BlobVersion = { location, etag, size: source.size, metadata: {} };
      for await (const chunk of this.#store.readAll(copied)) tap(chunk);
    }
    this.#blocks.push(...blocks.map((block) => block.name));
    this.#size += source.size;
    return true;
  }

  /**
   * The staged copy's second half: commits the update after the copied blocks in the staging
   * blob, then copies the sealed staging blob to the destination with Copy Blob From URL, which
   * the service finishes before it answers, on the caller's condition. Where the service refuses
   * that synchronous copy (Azure takes it up to 256 MiB), the sealed blob is copied into the
   * destination's blocks instead and committed as usual.
   */
  async #commitStaged(
    staging: Staging,
    condition: CommitCondition,
    properties: CommitProperties,
  ): Promise<BlobVersion> {
    let sealed: BlobVersion;
    try {
      const response = await staging.client.commitBlockList(this.#blocks, {
        conditions: { ifMatch: staging.etag },
        blobHTTPHeaders: { blobContentType: properties.contentType },
      });
      sealed = {
        location: staging.location,
        etag: response.etag ?? '',
        size: this.#size,
        metadata: {},
      };
    } catch (error) {
      throw toStorageError(error, 'committing the staging blob');
    }

    const { url, authorization } = await this.#store.copySource(staging.location);
    try {
      const response = await this.#client.syncCopyFromURL(url, {
        conditions: destinationConditions(condition),
        sourceConditions: { ifMatch: sealed.etag },
        metadata: { ...properties.metadata },
        ...(authorization ? { sourceAuthorization: authorization } : {}),
      });
      return {
        location: this.destination,
        etag: response.etag ?? '',
        size: sealed.size,
        contentType: properties.contentType,
        metadata: properties.metadata,
      };
    } catch (error) {
      if (!refusedSynchronousCopy(error, sealed.size)) {
        throw storageCode(error) === 'CannotVerifyCopySource'
          ? this.#copyError(error, sealed)
          : this.#commitError(error, condition);
      }
    }
    this.#staging = undefined;
    this.#blocks.length = 0;
    this.#size = 0;
    try {
      const plan = this.#store.copyPlan(sealed.size);
      const onService =
        plan.service !== false && (await this.#copyOnService(sealed, plan.onService));
      if (!onService) await this.#copyByStreaming(sealed, plan.streamed);
      return await this.commit(condition, properties);
    } finally {
      this.#staging = staging;
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
    if (!holdAll(blocks, source.size)) return false;
    if (tap) for await (const chunk of this.#store.readAll(source)) tap(chunk);
    this.#blocks.push(...blocks.map((block) => block.name));
    this.#size += source.size;
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
        await this.#stage(this.#client, id, bytes);
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
  async #stage(client: BlockBlobClient, id: string, bytes: Buffer): Promise<void> {
    try {
      await client.stageBlock(id, bytes, bytes.byteLength, {
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

  /** What a refused commit (or the copy that stands for one) means for the caller. */
  #commitError(error: unknown, condition: CommitCondition): unknown {
    const status = storageStatus(error);
    if (status === 409 && condition.kind === 'absent') {
      return new DestinationExistsError(this.destination);
    }
    // 412: the ETag moved. 400 InvalidBlockList: someone else committed this blob meanwhile,
    // and the service dropped the blocks staged here with it.
    if (status === 412 || status === 409 || storageCode(error) === 'InvalidBlockList') {
      return this.#writeConflict(error);
    }
    return this.#writeError(error, 'committing the destination');
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

/** Whether committed `blocks` hold a blob of `size` bytes and leave room for the update. */
function holdAll(blocks: readonly { size: number }[], size: number): boolean {
  const held = blocks.reduce((total, block) => total + block.size, 0);
  return blocks.length > 0 && blocks.length < maxCommittedBlocks && held === size;
}

/** The access conditions that make a write to the destination honour `condition`. */
function destinationConditions(condition: CommitCondition) {
  return condition.kind === 'absent' ? { ifNoneMatch: '*' } : { ifMatch: condition.etag };
}

/** The largest blob Azure copies with Copy Blob From URL. */
const synchronousCopyLimit = 256 * 1024 * 1024;

/**
 * Whether the service declined a synchronous Copy Blob From URL for what it is rather than for
 * its conditions or access: a store without it (501), or Azure past its size limit, which it
 * reports as 409 CannotVerifyCopySource, the code it also gives a source it may not read.
 */
function refusedSynchronousCopy(error: unknown, size: number): boolean {
  if (storageStatus(error) === 501) return true;
  return storageCode(error) === 'CannotVerifyCopySource' && size > synchronousCopyLimit;
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
