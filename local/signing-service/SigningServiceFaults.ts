/**
 * Failures a test can switch on in the local signing service, to see the client, the seal function
 * and the detections react. They apply to `POST /v1/sign` only. To make the service unreachable,
 * close it: its port then refuses connections.
 */
export class SigningServiceFaults {
  readonly #refusedKeyIds = new Set<string>();
  #failureStatus: number | undefined;
  #failuresLeft = 0;
  #delayMs = 0;

  /** Key IDs answered with 401 even when their HMAC is right. */
  get refusedKeyIds(): ReadonlySet<string> {
    return this.#refusedKeyIds;
  }

  /** Milliseconds to wait before answering each sign request. */
  get delayMs(): number {
    return this.#delayMs;
  }

  /** Answers 401 for `keyId` from now on, as the vendor does for a key disabled in its portal. */
  refuseKey(keyId: string): void {
    this.#refusedKeyIds.add(keyId);
  }

  /** Stops refusing `keyId`. */
  acceptKey(keyId: string): void {
    this.#refusedKeyIds.delete(keyId);
  }

  /**
   * Answers the next `count` sign requests with `status` (a 5xx for an outage) before checking
   * anything else. @default count Infinity: until `reset()`
   */
  failWith(status: number, count = Number.POSITIVE_INFINITY): void {
    this.#failureStatus = status;
    this.#failuresLeft = count;
  }

  /** Waits `ms` before answering each sign request, to exercise client timeouts. */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Clears every fault. */
  reset(): void {
    this.#refusedKeyIds.clear();
    this.#failureStatus = undefined;
    this.#failuresLeft = 0;
    this.#delayMs = 0;
  }

  /** The status to fail the current request with, if a failure is due; counts it down. */
  takeFailure(): number | undefined {
    if (this.#failureStatus === undefined || this.#failuresLeft <= 0) return undefined;
    this.#failuresLeft -= 1;
    return this.#failureStatus;
  }
}
