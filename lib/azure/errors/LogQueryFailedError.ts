import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * Log Analytics could not run a query at all (a partial result is not this error: it is returned
 * as a result). The message names the workspace, the HTTP status and the service's error code and
 * message; the service's message is about the query, never about a credential.
 */
export class LogQueryFailedError extends SealOpsError {
  readonly code = 'LOG_QUERY_FAILED';
  readonly httpStatus = 502;
  readonly statusCode: number | undefined;
  readonly serviceCode: string | undefined;

  constructor(
    workspaceId: string,
    statusCode: number | undefined,
    serviceCode: string | undefined,
    serviceMessage: string | undefined,
  ) {
    const answer =
      statusCode === undefined
        ? 'could not be reached'
        : `answered ${statusCode}${serviceCode === undefined ? '' : ` ${serviceCode}`}`;
    const detail = serviceMessage === undefined ? '' : ` (${serviceMessage.slice(0, 300)})`;
    super(
      `Log Analytics workspace ${workspaceId} ${answer} to a detection query${detail}; ` +
        'check the workspace ID and that the identity has Log Analytics Reader on it.',
    );
    this.statusCode = statusCode;
    this.serviceCode = serviceCode;
  }
}
