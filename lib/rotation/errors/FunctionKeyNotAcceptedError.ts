import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The app refused a newly set function key on a probe call: the platform has not picked it up
 * yet, or it was not saved. Retried later; the key is not published until it is accepted.
 */
export class FunctionKeyNotAcceptedError extends SealOpsError {
  readonly code = 'FUNCTION_KEY_NOT_ACCEPTED';
  readonly httpStatus = 502;

  constructor(functionName: string, keyName: string, status: number) {
    super(
      `The app answered ${status} to a call with the new function key '${keyName}' of ` +
        `${functionName}; it is not published until the app accepts it.`,
    );
  }
}
