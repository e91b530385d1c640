import {
  DeploymentsClient,
  type DeploymentsClientOptionalParams,
} from '@azure/arm-resourcesdeployments';
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';

import type { ArmTemplate } from '../detections/arm/ArmTemplate.js';
import { AlertRulesDeploymentError } from './errors/AlertRulesDeploymentError.js';

/** Where the rules go. */
export interface AlertRulesTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** @default 'sealops-alert-rules' */
  readonly deploymentName?: string;
}

/** What ARM reports once the deployment is over. */
export interface AlertRulesDeployment {
  readonly deploymentName: string;
  readonly provisioningState: string;
  /** ARM IDs of the rules created or updated. */
  readonly resourceIds: readonly string[];
}

/**
 * Deploys the rendered alert rules template to a resource group with
 * `@azure/arm-resourcesdeployments`, in Incremental mode (nothing else in the group is touched),
 * and waits for the deployment to finish. Deploying again updates the rules in place.
 *
 * Needs Monitoring Contributor on the resource group, and read access to the workspace and the
 * Function App the rules point at.
 */
export async function deployAlertRules(
  target: AlertRulesTarget,
  template: ArmTemplate,
  parameters: Readonly<Record<string, string | boolean>>,
  credential: TokenCredential = new DefaultAzureCredential(),
  options: DeploymentsClientOptionalParams = {},
): Promise<AlertRulesDeployment> {
  const { subscriptionId, resourceGroup, deploymentName = 'sealops-alert-rules' } = target;
  const client = new DeploymentsClient(credential, subscriptionId, options);
  let result;
  try {
    result = await client.deployments.createOrUpdate(resourceGroup, deploymentName, {
      properties: {
        mode: 'Incremental',
        template,
        parameters: Object.fromEntries(
          Object.entries(parameters).map(([name, value]) => [name, { value }]),
        ),
      },
    });
  } catch (error) {
    const failure = (error ?? {}) as {
      statusCode?: number;
      code?: string;
      message?: string;
      details?: { error?: { code?: string; message?: string } };
    };
    throw new AlertRulesDeploymentError(
      deploymentName,
      resourceGroup,
      failure.statusCode,
      failure.details?.error?.code ?? failure.code,
      failure.details?.error?.message ?? failure.message,
    );
  }
  const state = result.properties?.provisioningState ?? 'Unknown';
  if (state !== 'Succeeded') {
    throw new AlertRulesDeploymentError(deploymentName, resourceGroup, undefined, state, undefined);
  }
  return {
    deploymentName,
    provisioningState: state,
    resourceIds: (result.properties?.outputResources ?? []).flatMap((resource) =>
      resource.id ? [resource.id] : [],
    ),
  };
}
