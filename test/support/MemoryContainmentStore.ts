import type { ContainmentRecord } from '../../lib/runbooks/ContainmentRecord.js';
import type {
  ContainmentStore,
  StoredContainmentRecord,
} from '../../lib/runbooks/ContainmentStore.js';

/**
 * A {@link ContainmentStore} in memory with the blob store's ETag rules, for unit tests.
 * `beforeSave` runs before each conditional write, so a test can write in between as a second
 * responder would.
 */
export class MemoryContainmentStore implements ContainmentStore {
  readonly records = new Map<string, { record: ContainmentRecord; etag: string }>();
  readonly archived: ContainmentRecord[] = [];
  beforeSave: () => void = () => undefined;
  #version = 0;

  load(app: string): Promise<StoredContainmentRecord | undefined> {
    const stored = this.records.get(app);
    return Promise.resolve(stored && { record: structuredClone(stored.record), etag: stored.etag });
  }

  save(record: ContainmentRecord, etag: string | undefined): Promise<string | undefined> {
    this.beforeSave();
    if (this.records.get(record.app)?.etag !== etag) return Promise.resolve(undefined);
    return Promise.resolve(this.put(record));
  }

  archive(record: ContainmentRecord): Promise<void> {
    this.archived.push(structuredClone(record));
    return Promise.resolve();
  }

  /** Writes unconditionally, as another process would; returns the new ETag. */
  put(record: ContainmentRecord): string {
    const etag = `"${++this.#version}"`;
    this.records.set(record.app, { record: structuredClone(record), etag });
    return etag;
  }
}
