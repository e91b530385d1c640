import type { PdfSource } from '../sealing/PdfSource.js';
import type { BlobLocation } from './BlobLocation.js';

/** One version of a blob: what was read about it, pinned by its ETag. */
export interface BlobVersion {
  readonly location: BlobLocation;
  /** The ETag, quotes included, as the service returns it. */
  readonly etag: string;
  readonly size: number;
  /** The blob's `Content-Type`, when it has one. */
  readonly contentType?: string;
  /** The blob's metadata, names in lowercase. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * How a writer got the source's bytes into the destination: copied on the storage service block
 * by block (`service`), streamed through this process (`streamed`), copied whole on the service
 * into a staging blob that was sealed there and then copied whole to the destination (`staged`),
 * or, sealing a blob in place, not copied at all (`in-place`: the blob's own committed blocks
 * are committed again, followed by the update).
 */
export type CopyMethod = 'service' | 'streamed' | 'staged' | 'in-place';

/** When a commit may replace the destination. */
export type CommitCondition =
  /** Only when no blob of that name exists. */
  | { readonly kind: 'absent' }
  /** Only when the blob is still exactly this version. */
  | { readonly kind: 'unchanged'; readonly etag: string };

/** What a committed blob is labelled with. */
export interface CommitProperties {
  readonly contentType: string;
  /** Names must be valid C# identifiers, values ASCII (see `toMetadataValue`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Writes one destination blob as staged blocks: nothing is visible until {@link commit}, and a
 * writer that is never committed leaves no blob behind once it is disposed of (the service
 * discards uncommitted blocks; a staging blob is deleted).
 */
export interface BlobWriter {
  readonly destination: BlobLocation;
  /**
   * Copies every byte of `source` into the destination's next blocks (when the destination is
   * the source itself, its committed blocks are reused instead where they hold all of it). `tap`,
   * when given, sees each byte of the source once and in order, whichever way the copy is made,
   * so a hash can be taken in the same pass.
   *
   * @throws SourceChangedError when the source stops being `source` while it is read
   */
  copy(source: BlobVersion, tap?: (chunk: Uint8Array) => void): Promise<CopyMethod>;
  /** Stages `bytes` after everything staged so far. */
  append(bytes: Uint8Array): Promise<void>;
  /**
   * Makes the staged blocks the destination's content in one step, if `condition` holds.
   * @throws DestinationExistsError, DestinationChangedError when it does not
   */
  commit(condition: CommitCondition, properties: CommitProperties): Promise<BlobVersion>;
  /**
   * Deletes whatever the writer keeps besides the destination (a staging blob), committed or
   * not. Never throws: a leftover is swept later.
   */
  dispose(): Promise<void>;
}

/** A lease held on a blob: nobody else can write or delete it while it is renewed. */
export interface BlobLease {
  readonly leaseId: string;
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Result of trying to lease a blob. */
export type LeaseAttempt =
  | { readonly outcome: 'leased'; readonly lease: BlobLease; readonly version: BlobVersion }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'taken' };

/**
 * The blob store as storage mode needs it. Every failure is a SealOpsError: storage errors are
 * mapped where they happen, with the operation and blob named.
 */
export interface DocumentStore {
  /**
   * The blob's current version, or undefined when there is no such blob.
   * @param role names the blob in errors: a missing destination container is an error, a
   *   missing source container means a missing source
   */
  find(location: BlobLocation, role: 'source' | 'destination'): Promise<BlobVersion | undefined>;
  /** Random access to exactly `version`: every read is conditional on its ETag. */
  open(version: BlobVersion): PdfSource;
  /** Starts writing `destination` in staged blocks. */
  createWriter(
    destination: BlobLocation,
    options?: { readonly replacing?: BlobVersion },
  ): Promise<BlobWriter>;
  /** Leases the blob for `seconds` (15 to 60) so that this worker alone handles it. */
  lease(location: BlobLocation, seconds: number): Promise<LeaseAttempt>;
  /** Deletes the blob; `leaseId` is required when it is leased. Missing blobs are no error. */
  delete(location: BlobLocation, leaseId?: string): Promise<void>;
}
