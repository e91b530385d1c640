import type {
  ContainmentAction,
  ContainmentActionKind,
  ContainmentRecord,
} from './ContainmentRecord.js';
import { findAction } from './ContainmentRecord.js';
import type { ContainmentStore } from './ContainmentStore.js';
import { ContainmentRecordConflictError } from './errors/ContainmentRecordConflictError.js';

/** Options of {@link ContainmentJournal}. */
export interface ContainmentJournalOptions {
  readonly store: ContainmentStore;
  readonly app: string;
  readonly actor: string;
  /** Written on the incident when this run opens it. */
  readonly reason?: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** A new action as a step describes it; the journal adds who and when. */
export type NewContainmentAction = ContainmentAction extends infer A
  ? A extends ContainmentAction
    ? Omit<A, 'at' | 'by' | 'liftedAt' | 'liftedBy'>
    : never
  : never;

const maxAttempts = 5;

/**
 * The runbooks' view of the app's containment record: the latest record (open or closed), and the
 * few changes steps make to it. Every change is a read-modify-write on the store with an ETag, so
 * a concurrent writer is noticed rather than overwritten; each change is idempotent.
 */
export class ContainmentJournal {
  readonly #store: ContainmentStore;
  readonly #app: string;
  readonly #actor: string;
  readonly #reason: string | undefined;
  readonly #clock: () => Date;
  #latest: ContainmentRecord | undefined;

  constructor(options: ContainmentJournalOptions) {
    const { clock = () => new Date() } = options;
    this.#store = options.store;
    this.#app = options.app;
    this.#actor = options.actor;
    this.#reason = options.reason;
    this.#clock = clock;
  }

  /** Reads the record; call once before planning. */
  async load(): Promise<ContainmentRecord | undefined> {
    this.#latest = (await this.#store.load(this.#app))?.record;
    return this.#latest;
  }

  /** The latest record as last read or written: open, closed, or none. */
  get latest(): ContainmentRecord | undefined {
    return this.#latest;
  }

  /** The open incident, if any. */
  get open(): ContainmentRecord | undefined {
    return this.#latest?.status === 'open' ? this.#latest : undefined;
  }

  /**
   * Records `action` in the open incident, opening one when there is none. An action already there
   * for the same kind and target is kept as it is, unless `replace` says how to update it.
   */
  async record(
    action: NewContainmentAction,
    replace?: (existing: ContainmentAction) => NewContainmentAction,
  ): Promise<void> {
    await this.#mutate((current) => {
      const record = current?.status === 'open' ? current : this.#newIncident();
      const existing = findAction(record, action.kind, action.target);
      if (existing !== undefined && existing.liftedAt === undefined && replace === undefined) {
        return undefined;
      }
      const entry = {
        ...(existing !== undefined && replace !== undefined ? replace(existing) : action),
        at: this.#now(),
        by: this.#actor,
      } as ContainmentAction;
      return { ...record, actions: [...without(record, action.kind, action.target), entry] };
    });
  }

  /** Marks the action lifted (its change undone). Nothing happens when it is absent or lifted. */
  async markLifted(kind: ContainmentActionKind, target: string): Promise<void> {
    await this.#mutate((current) => {
      const existing = findAction(current, kind, target);
      if (current === undefined || existing === undefined || existing.liftedAt !== undefined) {
        return undefined;
      }
      const lifted = { ...existing, liftedAt: this.#now(), liftedBy: this.#actor };
      return { ...current, actions: current.actions.map((a) => (a === existing ? lifted : a)) };
    });
  }

  /** Closes the open incident and archives it. Nothing happens when none is open. */
  async close(): Promise<void> {
    await this.#mutate((current) =>
      current?.status === 'open'
        ? { ...current, status: 'closed', closedAt: this.#now(), closedBy: this.#actor }
        : undefined,
    );
    if (this.#latest?.status === 'closed') await this.#store.archive(this.#latest);
  }

  /** Applies `change` to the stored record; `undefined` from `change` means nothing to write. */
  async #mutate(
    change: (current: ContainmentRecord | undefined) => ContainmentRecord | undefined,
  ): Promise<void> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const stored = await this.#store.load(this.#app);
      this.#latest = stored?.record;
      const next = change(stored?.record);
      if (next === undefined) return;
      if (stored?.record.status === 'closed' && next.incidentId !== stored.record.incidentId) {
        await this.#store.archive(stored.record);
      }
      const etag = await this.#store.save(next, stored?.etag);
      if (etag !== undefined) {
        this.#latest = next;
        return;
      }
    }
    throw new ContainmentRecordConflictError(this.#app, maxAttempts);
  }

  #newIncident(): ContainmentRecord {
    const now = this.#now();
    return {
      schema: 1,
      app: this.#app,
      incidentId: `inc-${now.replace(/[-:]/g, '').replace(/\.\d+/, '')}`,
      status: 'open',
      openedAt: now,
      openedBy: this.#actor,
      ...(this.#reason === undefined ? {} : { reason: this.#reason }),
      actions: [],
    };
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}

function without(
  record: ContainmentRecord,
  kind: ContainmentActionKind,
  target: string,
): ContainmentAction[] {
  return record.actions.filter((action) => action.kind !== kind || action.target !== target);
}
