import type { BlobLocation } from './BlobLocation.js';
import { ContainerNotAllowedError } from './errors/ContainerNotAllowedError.js';

/**
 * The containers storage mode may read and write (`SEAL_ALLOWED_CONTAINERS`). Empty means none:
 * storage mode is off until an operator names containers, so a function key alone can never
 * reach the rest of the account.
 */
export class ContainerAllowlist {
  readonly #containers: ReadonlySet<string>;

  constructor(containers: Iterable<string>) {
    this.#containers = new Set(containers);
  }

  /** The allowed containers, for documentation and logs. */
  get containers(): readonly string[] {
    return [...this.#containers];
  }

  includes(container: string): boolean {
    return this.#containers.has(container);
  }

  /** @throws ContainerNotAllowedError when `location`'s container is not allowed */
  check(location: BlobLocation, role: 'source' | 'destination'): void {
    if (!this.#containers.has(location.container)) {
      throw new ContainerNotAllowedError(location.container, role, this.#containers.size === 0);
    }
  }
}
