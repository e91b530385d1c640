/** The app's own storage account (`AzureWebJobsStorage`), where timers and commands keep state. */
export type WebJobsStorage =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly blobServiceUrl: string };

/**
 * Reads `AzureWebJobsStorage` as the Functions host does: a connection string, or the
 * identity-based `__blobServiceUri` / `__accountName` forms. Undefined when none is set.
 */
export function readWebJobsStorage(env: NodeJS.ProcessEnv): WebJobsStorage | undefined {
  const connectionString = env.AzureWebJobsStorage?.trim();
  if (connectionString) return { kind: 'connectionString', connectionString };
  const serviceUri = env.AzureWebJobsStorage__blobServiceUri?.trim();
  if (serviceUri) return { kind: 'identity', blobServiceUrl: serviceUri };
  const account = env.AzureWebJobsStorage__accountName?.trim();
  if (account) {
    return { kind: 'identity', blobServiceUrl: `https://${account}.blob.core.windows.net` };
  }
  return undefined;
}
