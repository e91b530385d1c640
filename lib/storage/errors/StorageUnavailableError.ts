import { SealOpsError } from '../../errors/SealOpsError.js';

/** Blob Storage could not be reached, or kept failing, after the storage client's retries. */
export class StorageUnavailableError extends SealOpsError {
  readonly code = 'STORAGE_UNAVAILABLE';
  readonly httpStatus = 503;
  /** The last HTTP status from storage; absent when it was never reached. */
  readonly lastStatus: number | undefined;

  /** @param operation what was being done, for example `reading the source` */
  constructor(operation: string, lastStatus: number | undefined, options?: ErrorOptions) {
    const answer =
      lastStatus === undefined ? 'could not be reached' : `answered HTTP ${String(lastStatus)}`;
    super(
      `Blob Storage ${answer} while ${operation}; nothing was written: try again later.`,
      options,
    );
    this.lastStatus = lastStatus;
  }
}
