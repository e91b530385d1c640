import { emptyDetectionState, parseDetectionState, type DetectionState } from './DetectionState.js';
import type { DetectionStateStore, StoredDetectionState } from './DetectionStateStore.js';

/**
 * A {@link DetectionStateStore} in memory, with the same compare-and-swap rules as the blob store:
 * for tests, and for one-off runs that must not touch the timer's state.
 */
export class InMemoryDetectionStateStore implements DetectionStateStore {
  #text: string | undefined;
  #version = 0;

  constructor(initial?: DetectionState) {
    if (initial !== undefined) {
      this.#text = JSON.stringify(initial);
      this.#version = 1;
    }
  }

  /** The stored state, for assertions. */
  get current(): DetectionState {
    return this.#text === undefined ? emptyDetectionState : parseDetectionState(this.#text).state;
  }

  read(): Promise<StoredDetectionState> {
    if (this.#text === undefined) {
      return Promise.resolve({ state: emptyDetectionState, etag: undefined });
    }
    return Promise.resolve({ ...parseDetectionState(this.#text), etag: this.#etag() });
  }

  write(state: DetectionState, etag: string | undefined): Promise<boolean> {
    const current = this.#text === undefined ? undefined : this.#etag();
    if (etag !== current) return Promise.resolve(false);
    this.#text = JSON.stringify(state);
    this.#version += 1;
    return Promise.resolve(true);
  }

  #etag(): string {
    return `"${this.#version}"`;
  }
}
