import type { DetectionState } from './DetectionState.js';

/** The state as read, with the version tag a conditional write must name. */
export interface StoredDetectionState {
  readonly state: DetectionState;
  /** The stored version's ETag; undefined when nothing is stored yet. */
  readonly etag: string | undefined;
  /** Why a stored document was unreadable and the empty state was returned instead. */
  readonly problem?: string;
}

/**
 * Where the alert timer keeps its {@link DetectionState}: Blob Storage on Azure and on the local
 * stack (Azurite), memory in tests. Writes are compare-and-swap on the ETag, so two evaluations
 * running at once cannot both raise the same alert.
 */
export interface DetectionStateStore {
  read(): Promise<StoredDetectionState>;
  /**
   * Writes `state` if the stored version still has `etag` (undefined: if nothing is stored yet).
   * Resolves false when another writer got there first; the caller reads again and redecides.
   */
  write(state: DetectionState, etag: string | undefined): Promise<boolean>;
}
