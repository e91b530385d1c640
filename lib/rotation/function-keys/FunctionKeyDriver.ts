import type { AppControl } from '../../appcontrol/AppControl.js';
import type { SecretStore } from '../../credentials/SecretStore.js';
import {
  functionKeyCredentialName,
  functionKeyFingerprint,
  functionKeySecretName,
  functionKeyTags,
  rotatingFunctionKeyNames,
} from '../../credentials/functionKeySecret.js';
import type { SecretVersionProperties } from '../../credentials/signingKeySecret.js';
import type {
  CredentialDriver,
  KeyInventory,
  KeyView,
  StepContext,
  TestVerdict,
  UsageVerdict,
} from '../CredentialDriver.js';
import { FunctionKeyNotAcceptedError } from '../errors/FunctionKeyNotAcceptedError.js';
import type { RotationPolicy } from '../RotationPolicy.js';
import type { CandidateRecord, KeyRecord } from '../RotationState.js';

/** Options of {@link FunctionKeyDriver}. */
export interface FunctionKeyDriverOptions {
  readonly functionName: string;
  readonly appControl: AppControl;
  readonly store: SecretStore;
  readonly policy: RotationPolicy;
  /** How long a published key lives before it is replaced (its secret's `expiresOn`). */
  readonly lifetimeMs: number;
  /**
   * Calls the function with a key and returns the HTTP status, to prove the app accepts it.
   * @default none: the key is only read back through app control
   */
  readonly probe?: (functionKey: string) => Promise<number>;
}

/**
 * Rotates the function keys callers use (layout: `lib/credentials/functionKeySecret.ts`): the key
 * not in use is regenerated through app control (ARM on Azure, the local host locally), read back
 * and probed, published to its secret, and the other one is deleted after the overlap.
 *
 * NOTE: the platform does not record which function key a caller presented, so there is no usage
 * evidence for the old key: it is deleted when the overlap ends. Callers must re-read the secrets
 * within the overlap (7 days by default).
 */
export class FunctionKeyDriver implements CredentialDriver {
  readonly credential: string;
  readonly policy: RotationPolicy;
  readonly issuance = 'automatic' as const;
  readonly description: string;
  readonly #options: FunctionKeyDriverOptions;

  constructor(options: FunctionKeyDriverOptions) {
    this.#options = options;
    this.credential = functionKeyCredentialName(options.functionName);
    this.policy = options.policy;
    this.description =
      `function keys ${rotatingFunctionKeyNames.join(' / ')} of ${options.functionName}, ` +
      `published to ${rotatingFunctionKeyNames.map((name) => `'${this.#secretName(name)}'`).join(' and ')}`;
  }

  async inventory(now: Date): Promise<KeyInventory> {
    const appKeys = await this.#options.appControl.listFunctionKeys(this.#options.functionName);
    const valid: (KeyView & { createdOn: number })[] = [];
    for (const keyName of rotatingFunctionKeyNames) {
      const value = appKeys[keyName];
      const latest = await this.#latestEnabled(keyName);
      if (value === undefined || latest === undefined) continue;
      const fingerprint = latest.tags?.[functionKeyTags.fingerprint];
      if (fingerprint !== functionKeyFingerprint(value)) continue;
      if (latest.expiresOn !== undefined && latest.expiresOn.getTime() <= now.getTime()) continue;
      valid.push({
        keyId: keyName,
        fingerprint,
        ...(latest.expiresOn ? { expiresOn: latest.expiresOn } : {}),
        ...(latest.version ? { secretVersion: latest.version } : {}),
        createdOn: latest.createdOn?.getTime() ?? 0,
      });
    }
    valid.sort((a, b) => b.createdOn - a.createdOn);
    return { valid: valid.map(({ createdOn: _createdOn, ...key }) => key) };
  }

  findStaged(): Promise<CandidateRecord | undefined> {
    return Promise.resolve(undefined);
  }

  async obtain(context: StepContext): Promise<CandidateRecord> {
    const inUse = new Set(context.rotation.previous.map(({ keyId }) => keyId));
    const keyName =
      rotatingFunctionKeyNames.find((name) => !inUse.has(name)) ?? rotatingFunctionKeyNames[0];
    // Setting the key again after a crash only replaces a value nobody has been given yet.
    const value = await this.#options.appControl.setFunctionKey(
      this.#options.functionName,
      keyName,
    );
    await context.checkpoint('obtain:issued');
    return {
      keyId: keyName,
      fingerprint: functionKeyFingerprint(value),
      expiresOn: new Date(context.now.getTime() + this.#options.lifetimeMs).toISOString(),
      source: 'generated',
      obtainedAt: context.now.toISOString(),
    };
  }

  async test(_context: StepContext, candidate: CandidateRecord): Promise<TestVerdict> {
    const { functionName, probe } = this.#options;
    const value = (await this.#options.appControl.listFunctionKeys(functionName))[candidate.keyId];
    if (value === undefined || functionKeyFingerprint(value) !== candidate.fingerprint) {
      return {
        passed: false,
        code: 'FUNCTION_KEY_MISSING',
        reason: `The app does not hold the new value of function key '${candidate.keyId}'.`,
      };
    }
    if (probe !== undefined) {
      const status = await probe(value);
      if (status === 401 || status === 403) {
        throw new FunctionKeyNotAcceptedError(functionName, candidate.keyId, status);
      }
    }
    return { passed: true };
  }

  async discard(_context: StepContext, candidate: CandidateRecord): Promise<void> {
    await this.#options.appControl.deleteFunctionKey(this.#options.functionName, candidate.keyId);
  }

  async publish(context: StepContext, candidate: CandidateRecord): Promise<string | undefined> {
    const { appControl, store, functionName } = this.#options;
    const secretName = this.#secretName(candidate.keyId);
    const latest = await this.#latestEnabled(candidate.keyId);
    if (latest?.tags?.[functionKeyTags.rotationId] === context.rotation.id) return latest.version;

    const value = (await appControl.listFunctionKeys(functionName))[candidate.keyId];
    if (value === undefined || functionKeyFingerprint(value) !== candidate.fingerprint) {
      throw new FunctionKeyNotAcceptedError(functionName, candidate.keyId, 404);
    }
    const properties = await store.setSecret(secretName, value, {
      tags: {
        [functionKeyTags.functionName]: functionName,
        [functionKeyTags.keyName]: candidate.keyId,
        [functionKeyTags.fingerprint]: candidate.fingerprint,
        [functionKeyTags.rotationId]: context.rotation.id,
      },
      ...(candidate.expiresOn ? { expiresOn: new Date(candidate.expiresOn) } : {}),
      contentType: 'text/plain',
    });
    await context.checkpoint('publish:written');
    return properties.version;
  }

  refresh(): Promise<void> {
    // Callers read the secrets themselves; there are no references to refresh.
    return Promise.resolve();
  }

  usage(): Promise<UsageVerdict> {
    return Promise.resolve({ quiet: true });
  }

  async deactivate(context: StepContext, key: KeyRecord): Promise<void> {
    const { appControl, store, functionName } = this.#options;
    const secretName = this.#secretName(key.keyId);
    for (const properties of await store.listVersions(secretName)) {
      if (properties.enabled === false || properties.version === undefined) continue;
      await store.setVersionEnabled(secretName, properties.version, false);
    }
    await context.checkpoint('deactivate:disabled');
    await appControl.deleteFunctionKey(functionName, key.keyId);
  }

  async #latestEnabled(keyName: string): Promise<SecretVersionProperties | undefined> {
    const versions = await this.#options.store.listVersions(this.#secretName(keyName));
    return versions
      .filter((properties) => properties.enabled !== false)
      .sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0))[0];
  }

  #secretName(keyName: string): string {
    return functionKeySecretName(this.#options.functionName, keyName);
  }
}
