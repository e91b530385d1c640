import { isRestError } from '@azure/storage-blob';
import { SealOpsError } from '../errors/SealOpsError.js';
import { StorageAccessDeniedError } from '../storage/errors/StorageAccessDeniedError.js';
import { StorageUnavailableError } from '../storage/errors/StorageUnavailableError.js';

/** The HTTP status of a storage client error; undefined when storage was never reached. */
export function storageStatus(error: unknown): number | undefined {
  return isRestError(error) ? error.statusCode : undefined;
}

/** The storage error code (`BlobNotFound`, `ConditionNotMet`, ...) of a storage client error. */
export function storageCode(error: unknown): string | undefined {
  return isRestError(error) ? error.code : undefined;
}

/**
 * Maps what the storage client threw, after its own retries, to the app's errors: refusals of
 * the app's identity to STORAGE_ACCESS_DENIED, throttling, timeouts, 5xx and network failures to
 * STORAGE_UNAVAILABLE. Statuses with a meaning for the operation (404, 409, 412) must be handled
 * by the caller first; anything else comes back as it was, to surface as an internal error.
 *
 * @param operation what was being done, for example `reading the source`
 */
export function toStorageError(error: unknown, operation: string): unknown {
  if (error instanceof SealOpsError || !isRestError(error)) return error;
  const status = error.statusCode;
  if (status === undefined)
    return new StorageUnavailableError(operation, undefined, { cause: error });
  if (status === 401 || status === 403) return new StorageAccessDeniedError(operation, error.code);
  if (status === 408 || status === 429 || status >= 500) {
    return new StorageUnavailableError(operation, status, { cause: error });
  }
  return error;
}
