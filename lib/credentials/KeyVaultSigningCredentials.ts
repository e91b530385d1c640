import type { SigningCredential, SigningCredentialProvider } from '../signing/SigningCredential.js';
import { SigningKeySecretInvalidError } from './errors/SigningKeySecretInvalidError.js';
import type { SecretStore } from './SecretStore.js';
import {
  isSigningKeyValid,
  signingCredentialFromVersion,
  validSigningKeyVersions,
  type SigningKeyVersion,
} from './signingKeySecret.js';

/** Options of {@link KeyVaultSigningCredentials}. */
export interface KeyVaultSigningCredentialsOptions {
  readonly store: SecretStore;
  /** The signing-key secret. */
  readonly secretName: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * How long the list of valid keys is reused before Key Vault is read again. A new key published
   * by the rotation engine is used at most this long after it was written.
   * @default 300_000 (5 minutes)
   */
  readonly cacheTtlMs?: number;
  /**
   * How long the last good list keeps serving while Key Vault cannot be read (throttled, down),
   * so that a vault outage does not stop sealing. Keys that expire meanwhile are still dropped.
   * @default 21_600_000 (6 hours)
   */
  readonly maxStaleMs?: number;
  /** Told about versions skipped as unusable and about stale reads; never given a value. */
  readonly onProblem?: (message: string) => void;
}

interface Snapshot {
  readonly readAt: number;
  readonly entries: readonly { version: SigningKeyVersion; credential: SigningCredential }[];
}

/**
 * The signing keys valid now, read from the Key Vault secret laid out as `signingKeySecret.ts`
 * describes: every enabled, unexpired version, newest first. Values are immutable per version, so
 * each is fetched once and kept; the version list is re-read every `cacheTtlMs`.
 */
export class KeyVaultSigningCredentials implements SigningCredentialProvider {
  readonly #store: SecretStore;
  readonly #secretName: string;
  readonly #clock: () => Date;
  readonly #cacheTtlMs: number;
  readonly #maxStaleMs: number;
  readonly #onProblem: (message: string) => void;
  readonly #values = new Map<string, SigningCredential>();
  #snapshot: Snapshot | undefined;
  #refreshing: Promise<Snapshot> | undefined;

  constructor(options: KeyVaultSigningCredentialsOptions) {
    const {
      clock = () => new Date(),
      cacheTtlMs = 300_000,
      maxStaleMs = 21_600_000,
      onProblem = () => undefined,
    } = options;
    this.#store = options.store;
    this.#secretName = options.secretName;
    this.#clock = clock;
    this.#cacheTtlMs = cacheTtlMs;
    this.#maxStaleMs = maxStaleMs;
    this.#onProblem = onProblem;
  }

  /** Every valid key, preferred (newest) first. Throws `SecretStoreError` with nothing cached. */
  async current(): Promise<readonly SigningCredential[]> {
    const now = this.#clock();
    let snapshot = this.#snapshot;
    if (snapshot === undefined || now.getTime() - snapshot.readAt >= this.#cacheTtlMs) {
      try {
        snapshot = await (this.#refreshing ??= this.#refresh(now).finally(() => {
          this.#refreshing = undefined;
        }));
      } catch (error) {
        if (snapshot === undefined || now.getTime() - snapshot.readAt >= this.#maxStaleMs) {
          throw error;
        }
        this.#onProblem(
          `Key Vault could not be read (${(error as Error).message}); the keys read at ` +
            `${new Date(snapshot.readAt).toISOString()} stay in use.`,
        );
      }
    }
    return snapshot.entries
      .filter(({ version }) => isSigningKeyValid(version, now))
      .map(({ credential }) => credential);
  }

  /** Forgets the version list, so the next call reads Key Vault. */
  invalidate(): void {
    this.#snapshot = undefined;
  }

  async #refresh(now: Date): Promise<Snapshot> {
    const versions = validSigningKeyVersions(
      await this.#store.listVersions(this.#secretName),
      now,
      (error) => this.#onProblem(error.message),
    );
    const entries: { version: SigningKeyVersion; credential: SigningCredential }[] = [];
    for (const version of versions) {
      try {
        entries.push({ version, credential: await this.#credentialOf(version) });
      } catch (error) {
        if (!(error instanceof SigningKeySecretInvalidError)) throw error;
        this.#onProblem(error.message);
      }
    }
    this.#snapshot = { readAt: now.getTime(), entries };
    return this.#snapshot;
  }

  async #credentialOf(version: SigningKeyVersion): Promise<SigningCredential> {
    const known = this.#values.get(version.secretVersion);
    if (known !== undefined) return known;
    const value = await this.#store.getValue(this.#secretName, version.secretVersion);
    const credential = signingCredentialFromVersion(version, value);
    this.#values.set(version.secretVersion, credential);
    return credential;
  }
}
