import { SealOpsError } from '../../errors/SealOpsError.js';

/** The destination container does not exist; the app never creates containers. */
export class DestinationContainerNotFoundError extends SealOpsError {
  readonly code = 'DESTINATION_CONTAINER_NOT_FOUND';
  readonly httpStatus = 404;

  constructor(container: string) {
    super(
      `The destination container "${container}" does not exist; this app never creates ` +
        'containers: create it first or choose another.',
    );
  }
}
