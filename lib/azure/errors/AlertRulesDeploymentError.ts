import { SealOpsError } from '../../errors/SealOpsError.js';

/** The deployment of the rendered alert rules was refused or failed in Azure Resource Manager. */
export class AlertRulesDeploymentError extends SealOpsError {
  readonly code = 'ALERT_RULES_DEPLOYMENT_FAILED';
  readonly httpStatus = 502;
  readonly statusCode: number | undefined;
  readonly armCode: string | undefined;

  constructor(
    deploymentName: string,
    resourceGroup: string,
    statusCode: number | undefined,
    armCode: string | undefined,
    armMessage: string | undefined,
  ) {
    const answer = statusCode === undefined ? 'failed' : `was answered ${statusCode}`;
    super(
      `The deployment ${deploymentName} to resource group ${resourceGroup} ${answer}` +
        `${armCode === undefined ? '' : ` (${armCode}${armMessage ? `: ${armMessage.slice(0, 400)}` : ''})`}; ` +
        'check the parameters and that the identity may deploy there (Monitoring Contributor).',
    );
    this.statusCode = statusCode;
    this.armCode = armCode;
  }
}
