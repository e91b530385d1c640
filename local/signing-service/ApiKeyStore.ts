import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { decodeApiKey } from '../../lib/signing/decodeApiKey.js';
import { keyFingerprint } from '../../lib/signing/keyFingerprint.js';
import { writePrivateFile } from './writePrivateFile.js';

/** An API key as the local signing service holds it. `apiKeyHex` is the secret. */
export interface StoredApiKey {
  readonly keyId: string;
  readonly apiKeyHex: string;
  /** ISO-8601. */
  readonly expiresAt: string;
  readonly revoked: boolean;
  /** ISO-8601. */
  readonly createdAt: string;
}

/** What may be shown about a key: everything but the secret. */
export interface ApiKeySummary {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly expiresAt: string;
  readonly revoked: boolean;
  readonly createdAt: string;
}

/** A key to make known at start-up, for example the app's `TS_API_KEY_ID` / `TS_API_KEY`. */
export interface SeedApiKey {
  readonly keyId: string;
  readonly apiKeyHex: string;
  /** @default one year after the key is first seeded */
  readonly expiresAt?: Date;
}

const year = 365 * 24 * 60 * 60 * 1000;

/**
 * The local service's API keys, kept in one 0600 JSON file so that keys issued during a key
 * rotation survive a restart of the local stack. Writes are serialised; the file is rewritten whole.
 */
export class ApiKeyStore {
  readonly #path: string;
  readonly #keys = new Map<string, StoredApiKey>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, keys: readonly StoredApiKey[]) {
    this.#path = path;
    for (const key of keys) this.#keys.set(key.keyId, key);
  }

  /** Opens the store at `path`; a missing file is an empty store. */
  static async open(path: string): Promise<ApiKeyStore> {
    try {
      const keys = JSON.parse(await readFile(path, 'utf8')) as StoredApiKey[];
      return new ApiKeyStore(path, keys);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ApiKeyStore(path, []);
      throw error;
    }
  }

  find(keyId: string): StoredApiKey | undefined {
    return this.#keys.get(keyId);
  }

  list(): ApiKeySummary[] {
    return [...this.#keys.values()].map(({ apiKeyHex, ...summary }) => ({
      ...summary,
      fingerprint: keyFingerprint(apiKeyHex, summary.keyId),
    }));
  }

  /**
   * Makes a seeded key known. A key ID already stored with the same secret keeps its state (a key
   * revoked during a rotation stays revoked across restarts); a new secret under a known key ID
   * replaces the old key, since it is a different key. Throws `InvalidApiKeyFormatError` for a
   * secret that is not hex.
   */
  async seed(seed: SeedApiKey, now: Date): Promise<void> {
    decodeApiKey(seed.apiKeyHex, seed.keyId);
    const existing = this.#keys.get(seed.keyId);
    if (existing?.apiKeyHex.toLowerCase() === seed.apiKeyHex.toLowerCase()) return;
    this.#keys.set(seed.keyId, {
      keyId: seed.keyId,
      apiKeyHex: seed.apiKeyHex.toLowerCase(),
      expiresAt: (seed.expiresAt ?? new Date(now.getTime() + year)).toISOString(),
      revoked: false,
      createdAt: now.toISOString(),
    });
    await this.#save();
  }

  /** Issues a new key: a UUID key ID and 32 random bytes as hex, valid one year by default. */
  async issue(now: Date, expiresAt = new Date(now.getTime() + year)): Promise<StoredApiKey> {
    const key: StoredApiKey = {
      keyId: randomUUID(),
      apiKeyHex: randomBytes(32).toString('hex'),
      expiresAt: expiresAt.toISOString(),
      revoked: false,
      createdAt: now.toISOString(),
    };
    this.#keys.set(key.keyId, key);
    await this.#save();
    return key;
  }

  /** Revokes a key; false when the key ID is unknown. Revoking twice is harmless. */
  async revoke(keyId: string): Promise<boolean> {
    const key = this.#keys.get(keyId);
    if (key === undefined) return false;
    this.#keys.set(keyId, { ...key, revoked: true });
    await this.#save();
    return true;
  }

  #save(): Promise<void> {
    const contents = `${JSON.stringify([...this.#keys.values()], null, 2)}\n`;
    const write = this.#writing.then(() => writePrivateFile(this.#path, contents));
    this.#writing = write.catch(() => undefined);
    return write;
  }
}
