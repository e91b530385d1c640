import { SealOpsError } from '../../errors/SealOpsError.js';

/** A blob name breaks Azure's naming rules or names something that cannot be a document. */
export class InvalidBlobNameError extends SealOpsError {
  readonly code = 'INVALID_BLOB_NAME';
  readonly httpStatus = 400;

  /** @param field the request field, for example `destination.blob` */
  constructor(field: string, rule: string) {
    super(`The blob name in "${field}" is invalid: ${rule}.`);
  }
}
