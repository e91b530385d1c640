import type { SealOptions } from '../sealing/SealOptions.js';
import type { BlobLocation } from './BlobLocation.js';

/** One storage-mode seal, checked: where to read, where to write, and what the seal says. */
export interface StoredSealRequest {
  readonly source: BlobLocation;
  /** Seal only this version of the source (its ETag, quotes optional). */
  readonly sourceEtag?: string;
  readonly destination: BlobLocation;
  /** Replace the destination when it exists. @default false */
  readonly overwrite?: boolean;
  readonly seal: SealOptions;
  /** Added to the destination's metadata after the source's own and the seal's. */
  readonly metadata?: Readonly<Record<string, string>>;
}
