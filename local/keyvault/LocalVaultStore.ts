import { randomBytes } from 'node:crypto';

import { DeletedSecretNotFoundError } from './errors/DeletedSecretNotFoundError.js';
import { SecretAlreadyExistsError } from './errors/SecretAlreadyExistsError.js';
import { SecretDeletedButRecoverableError } from './errors/SecretDeletedButRecoverableError.js';
import { SecretDisabledError } from './errors/SecretDisabledError.js';
import { SecretNotFoundError } from './errors/SecretNotFoundError.js';
import type { ShiftableClock } from './ShiftableClock.js';
import type { StoredDeletedSecret, StoredSecret, StoredSecretVersion } from './StoredSecret.js';
import { latestVersion } from './StoredSecret.js';
import type { VaultStateFile } from './VaultStateFile.js';

/** What a set writes: a new version. */
export interface SecretSetInput {
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
  /** @default true */
  readonly enabled?: boolean;
  readonly nbf?: number;
  readonly exp?: number;
}

/** What an update changes on one version: a field left `undefined` is kept; `null` clears it. */
export interface SecretUpdateInput {
  readonly contentType?: string | null;
  /** Replaces the whole tag set (Key Vault does not merge tags). */
  readonly tags?: Record<string, string> | null;
  readonly enabled?: boolean;
  readonly nbf?: number | null;
  readonly exp?: number | null;
}

/** A version together with the name of its secret. */
export interface SecretVersionView {
  readonly name: string;
  readonly version: StoredSecretVersion;
}

/**
 * The secrets of the local vault and the rules Key Vault applies to them: versions, the latest
 * version, disabled versions, soft delete with retention, recover, purge, backup and restore.
 *
 * Names are case-insensitive, as in Key Vault: `My-Key` and `my-key` are one secret, which keeps
 * the spelling of its first write. Every change is written to the state file before the call
 * returns, so a restart never loses an answered request.
 *
 * NOTE: a change is made in memory first, then written. If the write fails (disk full), the
 * request fails with 500 but the change stays visible until the next restart, which forgets it.
 *
 * NOTE: deletion, recovery and purge complete at once. Key Vault takes a few seconds and answers
 * 409 Conflict meanwhile; callers that must survive that window are not exercised by this store.
 */
export class LocalVaultStore {
  /** Soft-delete retention in days: `recoverableDays` on the wire. */
  readonly retentionDays: number;
  readonly #clock: ShiftableClock;
  readonly #file: VaultStateFile;
  readonly #secrets = new Map<string, StoredSecret>();
  readonly #deleted = new Map<string, StoredDeletedSecret>();

  private constructor(file: VaultStateFile, clock: ShiftableClock, retentionDays: number) {
    this.#file = file;
    this.#clock = clock;
    this.retentionDays = retentionDays;
  }

  /** Opens the store on the state in `file` (an empty vault when there is none yet). */
  static async open(
    file: VaultStateFile,
    clock: ShiftableClock,
    retentionDays: number,
  ): Promise<LocalVaultStore> {
    const store = new LocalVaultStore(file, clock, retentionDays);
    const state = await file.load();

    for (const secret of state.secrets) {
      store.#secrets.set(keyOf(secret.name), secret);
    }
    for (const deleted of state.deletedSecrets) {
      store.#deleted.set(keyOf(deleted.name), deleted);
    }
    return store;
  }

  /** The vault's deletion recovery level, as the service reports it for this retention. */
  get recoveryLevel(): string {
    return this.retentionDays === 90 ? 'Recoverable+Purgeable' : 'CustomizedRecoverable+Purgeable';
  }

  async setSecret(name: string, input: SecretSetInput): Promise<SecretVersionView> {
    this.#sweep();
    this.#refuseIfDeleted(name);

    const now = this.#clock.nowSeconds();
    const version: StoredSecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: input.value,
      ...withoutUndefined({ contentType: input.contentType, tags: input.tags }),
      enabled: input.enabled ?? true,
      ...withoutUndefined({ nbf: input.nbf, exp: input.exp }),
      created: now,
      updated: now,
    };
    const secret = this.#secrets.get(keyOf(name)) ?? { name, versions: [] };
    secret.versions.push(version);
    this.#secrets.set(keyOf(name), secret);

    await this.#save();
    return { name: secret.name, version };
  }

  /**
   * Reads one version (the latest when `version` is undefined) for its value.
   * Disabled versions are refused; `nbf` and `exp` are not enforced, as on the service.
   */
  getSecret(name: string, version?: string): SecretVersionView {
    const view = this.#findVersion(name, version);
    if (!view.version.enabled) {
      throw new SecretDisabledError();
    }
    return view;
  }

  async updateSecret(
    name: string,
    version: string | undefined,
    input: SecretUpdateInput,
  ): Promise<SecretVersionView> {
    const view = this.#findVersion(name, version);
    const target = view.version;

    if (input.enabled !== undefined) {
      target.enabled = input.enabled;
    }
    assignOrClear(target, 'nbf', input.nbf);
    assignOrClear(target, 'exp', input.exp);
    assignOrClear(target, 'contentType', input.contentType);
    assignOrClear(target, 'tags', input.tags);
    target.updated = this.#clock.nowSeconds();

    await this.#save();
    return view;
  }

  /** Every live secret with its latest version, by name. */
  listSecrets(): SecretVersionView[] {
    this.#sweep();
    return sortedByName([...this.#secrets.values()]).map((secret) => ({
      name: secret.name,
      version: latestVersion(secret),
    }));
  }

  /** Every version of a live secret, oldest first; none when there is no such secret. */
  listSecretVersions(name: string): SecretVersionView[] {
    this.#sweep();
    const secret = this.#secrets.get(keyOf(name));
    return (secret?.versions ?? []).map((version) => ({ name: secret?.name ?? name, version }));
  }

  /** Soft-deletes every version of a secret; recoverable for {@link retentionDays} days. */
  async deleteSecret(name: string): Promise<StoredDeletedSecret> {
    this.#sweep();
    const secret = this.#secrets.get(keyOf(name));
    if (secret === undefined) {
      throw new SecretNotFoundError(name);
    }

    const deletedDate = this.#clock.nowSeconds();
    const deleted: StoredDeletedSecret = {
      ...secret,
      deletedDate,
      scheduledPurgeDate: deletedDate + this.retentionDays * 24 * 60 * 60,
    };
    this.#secrets.delete(keyOf(name));
    this.#deleted.set(keyOf(name), deleted);

    await this.#save();
    return deleted;
  }

  getDeletedSecret(name: string): StoredDeletedSecret {
    this.#sweep();
    const deleted = this.#deleted.get(keyOf(name));
    if (deleted === undefined) {
      throw new DeletedSecretNotFoundError(name);
    }
    return deleted;
  }

  listDeletedSecrets(): StoredDeletedSecret[] {
    this.#sweep();
    return sortedByName([...this.#deleted.values()]);
  }

  /** Brings a soft-deleted secret back with all its versions and attributes. */
  async recoverDeletedSecret(name: string): Promise<SecretVersionView> {
    const deleted = this.getDeletedSecret(name);
    const secret: StoredSecret = { name: deleted.name, versions: deleted.versions };

    this.#deleted.delete(keyOf(name));
    this.#secrets.set(keyOf(name), secret);

    await this.#save();
    return { name: secret.name, version: latestVersion(secret) };
  }

  /** Destroys a soft-deleted secret for good; its name is free again. */
  async purgeDeletedSecret(name: string): Promise<void> {
    this.getDeletedSecret(name);
    this.#deleted.delete(keyOf(name));
    await this.#save();
  }

  /** The whole secret, every version with its value: what a backup blob carries. */
  backupSecret(name: string): StoredSecret {
    this.#sweep();
    const secret = this.#secrets.get(keyOf(name));
    if (secret === undefined) {
      throw new SecretNotFoundError(name);
    }
    return secret;
  }

  /** Puts a backed-up secret back, keeping its version ids and timestamps. */
  async restoreSecret(backup: StoredSecret): Promise<SecretVersionView> {
    this.#sweep();
    this.#refuseIfDeleted(backup.name);
    if (this.#secrets.has(keyOf(backup.name))) {
      throw new SecretAlreadyExistsError(backup.name);
    }

    const secret: StoredSecret = structuredClone(backup);
    this.#secrets.set(keyOf(secret.name), secret);

    await this.#save();
    return { name: secret.name, version: latestVersion(secret) };
  }

  /** Settles when every change so far is on disk. */
  flush(): Promise<void> {
    return this.#file.flush();
  }

  #findVersion(name: string, version: string | undefined): SecretVersionView {
    this.#sweep();
    const secret = this.#secrets.get(keyOf(name));
    const found =
      secret === undefined
        ? undefined
        : version === undefined
          ? latestVersion(secret)
          : secret.versions.find((candidate) => candidate.version === version);

    if (secret === undefined || found === undefined) {
      throw new SecretNotFoundError(version === undefined ? name : `${name}/${version}`);
    }
    return { name: secret.name, version: found };
  }

  #refuseIfDeleted(name: string): void {
    if (this.#deleted.has(keyOf(name))) {
      throw new SecretDeletedButRecoverableError(name);
    }
  }

  /**
   * Drops deleted secrets whose retention is over, as the service purges them on schedule. Done
   * lazily on every call; the file catches up with the next change (and a restart sweeps again).
   */
  #sweep(): void {
    const now = this.#clock.nowSeconds();
    for (const [key, deleted] of this.#deleted) {
      if (deleted.scheduledPurgeDate <= now) {
        this.#deleted.delete(key);
      }
    }
  }

  #save(): Promise<void> {
    return this.#file.save({
      secrets: [...this.#secrets.values()],
      deletedSecrets: [...this.#deleted.values()],
    });
  }
}

function keyOf(name: string): string {
  return name.toLowerCase();
}

function sortedByName<T extends { readonly name: string }>(secrets: T[]): T[] {
  return secrets.sort((a, b) => keyOf(a.name).localeCompare(keyOf(b.name)));
}

function assignOrClear<K extends 'nbf' | 'exp' | 'contentType' | 'tags'>(
  target: StoredSecretVersion,
  key: K,
  value: StoredSecretVersion[K] | null | undefined,
): void {
  if (value === null) {
    delete target[key];
  } else if (value !== undefined) {
    target[key] = value;
  }
}

function withoutUndefined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
