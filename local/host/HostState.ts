import type { AccessRule } from '../../lib/appcontrol/AppControl.js';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What App Service keeps about an app and the host keeps about its keys, for the local host:
 * function keys, whether the app runs, which functions are disabled, and access restrictions.
 * It is one JSON file so that it survives restarts; it holds secrets and lives in the git-ignored
 * state folder.
 */
export interface HostStateData {
  masterKey: string;
  /** Host keys: valid for every function with authLevel `function`. */
  hostKeys: Record<string, string>;
  /** Function keys, by function name then key name. */
  functionKeys: Record<string, Record<string, string>>;
  state: 'Running' | 'Stopped';
  disabledFunctions: string[];
  accessRestrictions: AccessRule[];
}

/** Makes a key in the format the Functions host uses: 40 URL-safe base64 characters. */
export function newFunctionKey(): string {
  return randomBytes(30).toString('base64url');
}

/** The host state, loaded from and saved to one file. Writes are atomic (temp file and rename). */
export class HostState {
  readonly #path: string;
  #data: HostStateData;

  private constructor(path: string, data: HostStateData) {
    this.#path = path;
    this.#data = data;
  }

  /**
   * Loads the state at `path`, creating it with fresh keys the first time. `defaultHostKey` fixes
   * the `default` host key (the local stack passes `LOCAL_FUNCTION_KEY`).
   */
  static async open(path: string, defaultHostKey?: string): Promise<HostState> {
    let data: HostStateData;
    try {
      data = JSON.parse(await readFile(path, 'utf8')) as HostStateData;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      data = {
        masterKey: newFunctionKey(),
        hostKeys: { default: newFunctionKey() },
        functionKeys: {},
        state: 'Running',
        disabledFunctions: [],
        accessRestrictions: [],
      };
    }
    if (defaultHostKey) data.hostKeys.default = defaultHostKey;
    const state = new HostState(path, data);
    await state.save();
    return state;
  }

  get data(): Readonly<HostStateData> {
    return this.#data;
  }

  /** Applies `change` to the state and saves it. */
  async update(change: (data: HostStateData) => void): Promise<void> {
    const next = structuredClone(this.#data);
    change(next);
    this.#data = next;
    await this.save();
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(this.#data, null, 2), { mode: 0o600 });
    await rename(temporary, this.#path);
  }
}
