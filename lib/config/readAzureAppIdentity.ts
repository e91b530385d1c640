/** Which Function App this is on Azure, for ARM calls against itself. */
export interface AzureAppIdentity {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly appName: string;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names the app from the platform's own settings (`WEBSITE_OWNER_NAME` is
 * `<subscription id>+<webspace>`, with `WEBSITE_RESOURCE_GROUP` and `WEBSITE_SITE_NAME`), or, for
 * a command run from a workstation, `AZURE_SUBSCRIPTION_ID`, `AZURE_RESOURCE_GROUP` and
 * `AZURE_FUNCTION_APP`. Undefined off Azure.
 */
export function readAzureAppIdentity(env: NodeJS.ProcessEnv): AzureAppIdentity | undefined {
  const subscriptionId = (
    env.AZURE_SUBSCRIPTION_ID ?? env.WEBSITE_OWNER_NAME?.split('+')[0]
  )?.trim();
  const resourceGroup = (env.AZURE_RESOURCE_GROUP ?? env.WEBSITE_RESOURCE_GROUP)?.trim();
  const appName = (env.AZURE_FUNCTION_APP ?? env.WEBSITE_SITE_NAME)?.trim();
  if (!subscriptionId || !guid.test(subscriptionId) || !resourceGroup || !appName) return undefined;
  return { subscriptionId, resourceGroup, appName };
}
