import { SealOpsError } from '../../errors/SealOpsError.js';

/** A container name breaks Azure's naming rules. */
export class InvalidContainerNameError extends SealOpsError {
  readonly code = 'INVALID_CONTAINER_NAME';
  readonly httpStatus = 400;

  /** @param field the request field, for example `source.container` */
  constructor(field: string, rule: string) {
    super(`The container name in "${field}" is invalid: ${rule}.`);
  }
}
