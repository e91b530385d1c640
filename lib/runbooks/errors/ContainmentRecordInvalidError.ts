import { SealOpsError } from '../../errors/SealOpsError.js';

/** The stored containment record cannot be read as one: edited by hand, or from another tool. */
export class ContainmentRecordInvalidError extends SealOpsError {
  readonly code = 'CONTAINMENT_RECORD_INVALID';
  readonly httpStatus = 500;

  constructor(location: string, problem: string) {
    super(
      `The containment record at ${location} is not valid (${problem}); fix or move it aside, ` +
        "then run the command again ('sealops status' reads the live state without it).",
    );
  }
}
