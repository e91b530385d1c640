import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomically } from '../tls/writeFileAtomically.js';
import { LocalVaultStateError } from './errors/LocalVaultStateError.js';
import type { StoredDeletedSecret, StoredSecret } from './StoredSecret.js';
import { isStoredDeletedSecret, isStoredSecret } from './StoredSecret.js';

/** Everything the local vault keeps between runs. */
export interface VaultState {
  readonly secrets: readonly StoredSecret[];
  readonly deletedSecrets: readonly StoredDeletedSecret[];
}

const FORMAT = 'sealops-local-keyvault';
const FORMAT_VERSION = 1;

/**
 * The local vault's state on disk: `<stateDir>/keyvault-state.json`, mode 0600, replaced
 * atomically on every change.
 *
 * NOTE: secret values are stored in clear text. That is acceptable for a local stack holding
 * test keys in a git-ignored folder, and is why this file must never hold a production secret.
 */
export class VaultStateFile {
  readonly path: string;
  readonly #directory: string;
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(stateDir: string) {
    this.#directory = stateDir;
    this.path = join(stateDir, 'keyvault-state.json');
  }

  /** Reads the state back; an absent file is an empty vault, a damaged one an error. */
  async load(): Promise<VaultState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { secrets: [], deletedSecrets: [] };
      }
      throw error;
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's message quotes the file's text, which holds secret values: not passed on.
      throw new LocalVaultStateError(this.path, 'is not JSON');
    }
    return this.#checkState(parsed);
  }

  /**
   * Writes `state`. Writes happen one after another in call order, so the file always ends with
   * the state of the last call; the promise settles when that call's state is on disk.
   */
  save(state: VaultState): Promise<void> {
    const text = `${JSON.stringify({ format: FORMAT, formatVersion: FORMAT_VERSION, ...state }, null, 1)}\n`;
    const write = this.#lastWrite
      .catch(() => undefined)
      .then(async () => {
        await mkdir(this.#directory, { recursive: true, mode: 0o700 });
        await writeFileAtomically(this.path, text, 0o600);
      });
    this.#lastWrite = write;
    return write;
  }

  /** Settles when every write asked for so far has finished. */
  async flush(): Promise<void> {
    await this.#lastWrite.catch(() => undefined);
  }

  #checkState(parsed: unknown): VaultState {
    if (typeof parsed !== 'object' || parsed === null) {
      throw new LocalVaultStateError(this.path, 'is not a JSON object');
    }
    const state = parsed as Record<string, unknown>;
    if (state.format !== FORMAT || state.formatVersion !== FORMAT_VERSION) {
      throw new LocalVaultStateError(
        this.path,
        `is not in format ${FORMAT} version ${FORMAT_VERSION}`,
      );
    }
    const { secrets, deletedSecrets } = state;
    if (!Array.isArray(secrets) || !secrets.every(isStoredSecret)) {
      throw new LocalVaultStateError(this.path, 'has a malformed "secrets" list');
    }
    if (!Array.isArray(deletedSecrets) || !deletedSecrets.every(isStoredDeletedSecret)) {
      throw new LocalVaultStateError(this.path, 'has a malformed "deletedSecrets" list');
    }
    return { secrets, deletedSecrets };
  }
}
