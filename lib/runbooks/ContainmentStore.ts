import type { ContainmentRecord } from './ContainmentRecord.js';

/** A stored record and the version tag (ETag) it was read at. */
export interface StoredContainmentRecord {
  readonly record: ContainmentRecord;
  readonly etag: string;
}

/**
 * Where containment records live: Blob Storage (`AzureWebJobsStorage`, container
 * `sealops-incidents`, Azurite on the local stack). Writes are compare-and-swap on the ETag, so two
 * responders acting at once cannot overwrite each other's record.
 */
export interface ContainmentStore {
  /** The app's current record, or undefined when no incident was ever recorded. */
  load(app: string): Promise<StoredContainmentRecord | undefined>;
  /**
   * Writes the current record if it is still at `etag` (undefined: only if there is none yet).
   * Returns the new ETag, or undefined when someone else wrote in between (nothing was written).
   */
  save(record: ContainmentRecord, etag: string | undefined): Promise<string | undefined>;
  /** Keeps a copy of a closed record under its incident ID. Repeating it is harmless. */
  archive(record: ContainmentRecord): Promise<void>;
}
