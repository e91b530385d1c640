import { SealOpsError } from '../../errors/SealOpsError.js';

/** A request names a container that is not on the app's allowlist (`SEAL_ALLOWED_CONTAINERS`). */
export class ContainerNotAllowedError extends SealOpsError {
  readonly code = 'CONTAINER_NOT_ALLOWED';
  readonly httpStatus = 403;

  /**
   * @param role which side of the seal named the container
   * @param allowlistEmpty true when no container at all is allowed (storage mode is off)
   */
  constructor(container: string, role: 'source' | 'destination', allowlistEmpty: boolean) {
    super(
      allowlistEmpty
        ? `Storage mode is off: SEAL_ALLOWED_CONTAINERS is empty, so no container may be used ` +
            `and the ${role} container "${container}" was refused; an operator must list the ` +
            'containers this app may touch.'
        : `The ${role} container "${container}" is not on this app's allowlist ` +
            '(SEAL_ALLOWED_CONTAINERS); use an allowed container or ask an operator to add it.',
    );
  }
}
