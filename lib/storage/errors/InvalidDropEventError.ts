import { SealOpsError } from '../../errors/SealOpsError.js';

/** A drop-folder queue message is not an Event Grid blob event this app can read. */
export class InvalidDropEventError extends SealOpsError {
  readonly code = 'INVALID_DROP_EVENT';
  readonly httpStatus = 400;

  constructor(problem: string) {
    super(
      `The drop-folder message is not a readable Event Grid blob event: ${problem}; check the ` +
        'Event Grid subscription that feeds the queue (Event Grid schema, BlobCreated only).',
    );
  }
}
