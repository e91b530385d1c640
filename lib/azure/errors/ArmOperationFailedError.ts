import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * Azure Resource Manager refused or failed an App Service operation. The message names the
 * operation, the app and ARM's status and error code only: the request (which can carry a function
 * key value) is deliberately not kept as the cause.
 */
export class ArmOperationFailedError extends SealOpsError {
  readonly code = 'ARM_OPERATION_FAILED';
  readonly httpStatus = 502;
  readonly operation: string;
  readonly statusCode: number | undefined;
  readonly armCode: string | undefined;

  constructor(operation: string, appName: string, statusCode?: number, armCode?: string) {
    super(
      `Azure Resource Manager answered ${statusCode ?? 'no status'}` +
        `${armCode === undefined ? '' : ` (${armCode})`} to ${operation} on app '${appName}'; ` +
        'check that the app exists and that the signed-in identity may manage it (Website Contributor).',
    );
    this.operation = operation;
    this.statusCode = statusCode;
    this.armCode = armCode;
  }
}
