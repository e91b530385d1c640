import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * Blob Storage refused the app's own identity: a deployment problem (a missing role assignment,
 * a firewall rule, an expired key), never the caller's.
 */
export class StorageAccessDeniedError extends SealOpsError {
  readonly code = 'STORAGE_ACCESS_DENIED';
  readonly httpStatus = 502;

  /** @param operation what was being done, for example `reading the source` */
  constructor(operation: string, storageCode: string | undefined) {
    super(
      `Blob Storage refused this app while ${operation}` +
        `${storageCode ? ` (${storageCode.slice(0, 64)})` : ''}; an operator must grant its ` +
        'identity Storage Blob Data Contributor on the account or fix the connection setting.',
    );
  }
}
