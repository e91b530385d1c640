import { signingKeyCredentialName } from '../credentials/signingKeySecret.js';
import type { EmergencyRotation } from '../runbooks/EmergencyRotation.js';
import { RotationIncompleteError } from './errors/RotationIncompleteError.js';
import type { RotationEngine } from './RotationEngine.js';
import type { RotationStateStore } from './RotationStateStore.js';

/**
 * The incident runbooks' immediate rotation of the signing key, over the rotation engine: starts a
 * rotation tagged with the incident's `rotationId` and runs it until its new key is published (the
 * old key then stays valid through the usual overlap). Asking again with the same `rotationId`
 * reports the same rotation, and carries it on where it stopped.
 */
export class EngineEmergencyRotation implements EmergencyRotation {
  readonly #engine: RotationEngine;
  readonly #store: RotationStateStore;
  readonly #credential: string;

  constructor(
    engine: RotationEngine,
    store: RotationStateStore,
    credential = signingKeyCredentialName,
  ) {
    this.#engine = engine;
    this.#store = store;
    this.#credential = credential;
  }

  /** Throws `RotationIncompleteError` when no key could be published now (and says why). */
  async rotateNow(request: { rotationId: string; reason: string }): Promise<{ keyId: string }> {
    const before = (await this.#store.read(this.#credential)).state;
    const done = before.completed.find(({ requestId }) => requestId === request.rotationId);
    if (done !== undefined) return { keyId: done.keyId };
    const other = before.rotation;
    if (other !== undefined && other.requestId !== request.rotationId && other.publishedAt) {
      throw new RotationIncompleteError(
        this.#credential,
        `rotation ${other.id} already published key ${other.candidate?.keyId ?? ''} and is in its ` +
          'overlap; disable the compromised key instead, or wait until the overlap ends.',
      );
    }

    const [run] = await this.#engine.run({
      credential: this.#credential,
      force: true,
      ...(other === undefined ? { startNow: { requestId: request.rotationId } } : {}),
    });
    const { state } = await this.#store.read(this.#credential);
    const published =
      state.rotation?.publishedAt !== undefined
        ? state.rotation.candidate?.keyId
        : state.completed.find(({ requestId }) => requestId === request.rotationId)?.keyId;
    if (published === undefined) {
      throw new RotationIncompleteError(this.#credential, run?.message ?? 'the run did not start');
    }
    return { keyId: published };
  }
}
