/**
 * The local vault's notion of now: a source clock plus an offset a test can move, so that expiry,
 * `created`/`updated` stamps and soft-delete retention can be exercised without waiting.
 */
export class ShiftableClock {
  readonly #source: () => Date;
  #offsetMs = 0;

  /** @param source - the underlying time; defaults to the system clock */
  constructor(source: () => Date = () => new Date()) {
    this.#source = source;
  }

  /** How far this clock runs ahead of its source (negative: behind). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): Date {
    return new Date(this.#source().getTime() + this.#offsetMs);
  }

  /** Now as whole Unix seconds, the unit of every Key Vault timestamp. */
  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** Sets the offset from the source clock (replaces any earlier shift). */
  setOffset(ms: number): void {
    this.#offsetMs = ms;
  }

  /** Moves the clock forward by `ms` (backward when negative). */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
