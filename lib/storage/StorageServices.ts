import type { DropFolderSettings } from '../config/StorageSettings.js';
import type { ContainerAllowlist } from './ContainerAllowlist.js';
import type { DocumentStore } from './DocumentStore.js';

/** What storage mode and the drop folder need, chosen once from the settings. */
export interface StorageServices {
  readonly store: DocumentStore;
  readonly allowlist: ContainerAllowlist;
  /** Absent when no drop folder is configured. */
  readonly dropFolder?: DropFolderSettings;
}
