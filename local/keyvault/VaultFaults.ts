import type { VaultOperationKind } from './routeVaultRequest.js';

/** Options of {@link VaultFaults.throttleNext}. */
export interface ThrottleOptions {
  /**
   * The pause the 429 asks for. `Retry-After` carries it rounded up to whole seconds,
   * `x-ms-retry-after-ms` exactly (Azure SDKs prefer the latter).
   * @default 1000
   */
  readonly retryAfterMs?: number;
  /**
   * Throttle only these operations; others pass and do not use up the count.
   * @default every operation
   */
  readonly operations?: readonly VaultOperationKind[];
}

interface PendingThrottle {
  remaining: number;
  readonly retryAfterMs: number;
  readonly operations: readonly VaultOperationKind[] | undefined;
}

/**
 * Failures a test can ask the local vault to inject. Faults apply to authenticated requests only
 * (the SDK's first, unauthenticated request always gets its 401 challenge), in the order they were
 * asked for.
 */
export class VaultFaults {
  readonly #throttles: PendingThrottle[] = [];
  #throttledCount = 0;

  /** Answers the next `count` matching requests with 429 Throttled. */
  throttleNext(count: number, options: ThrottleOptions = {}): void {
    const { retryAfterMs = 1000, operations } = options;
    this.#throttles.push({ remaining: count, retryAfterMs, operations });
  }

  /** How many requests were answered with an injected 429 since start. */
  get throttledCount(): number {
    return this.#throttledCount;
  }

  /** How many injected 429s are still to be served. */
  get pendingThrottles(): number {
    return this.#throttles.reduce((sum, throttle) => sum + throttle.remaining, 0);
  }

  /** Forgets every fault not yet served. */
  clear(): void {
    this.#throttles.length = 0;
  }

  /**
   * Consumes one pending throttle that applies to `operation`.
   * @returns the pause to ask for, or `undefined` when the request should go through
   */
  takeThrottle(operation: VaultOperationKind): number | undefined {
    const index = this.#throttles.findIndex(
      (throttle) => throttle.operations === undefined || throttle.operations.includes(operation),
    );
    const throttle = this.#throttles[index];
    if (throttle === undefined) {
      return undefined;
    }

    throttle.remaining -= 1;
    if (throttle.remaining <= 0) {
      this.#throttles.splice(index, 1);
    }
    this.#throttledCount += 1;
    return throttle.retryAfterMs;
  }
}
