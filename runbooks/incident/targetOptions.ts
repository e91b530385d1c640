/** The options every incident command takes to find its target, for `parseArgs`. */
export const targetOptions = {
  target: { type: 'string' },
  'state-dir': { type: 'string' },
  subscription: { type: 'string' },
  'resource-group': { type: 'string' },
  app: { type: 'string' },
  'app-url': { type: 'string' },
  'vault-url': { type: 'string' },
  'secret-name': { type: 'string' },
  storage: { type: 'string' },
  'storage-account-url': { type: 'string' },
  'workspace-id': { type: 'string' },
  'trusted-root': { type: 'string', multiple: true },
  'my-address': { type: 'string' },
  'seal-function': { type: 'string' },
  'audit-log': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** The values of {@link targetOptions} after parsing. */
export interface TargetOptionValues {
  readonly target?: string;
  readonly 'state-dir'?: string;
  readonly subscription?: string;
  readonly 'resource-group'?: string;
  readonly app?: string;
  readonly 'app-url'?: string;
  readonly 'vault-url'?: string;
  readonly 'secret-name'?: string;
  readonly storage?: string;
  readonly 'storage-account-url'?: string;
  readonly 'workspace-id'?: string;
  readonly 'trusted-root'?: string[];
  readonly 'my-address'?: string;
  readonly 'seal-function'?: string;
  readonly 'audit-log'?: string;
}

/** The help text of {@link targetOptions}. */
export const targetHelp = `Target (default: the local stack when its state folder exists):
  --target local|azure
  --state-dir DIR            local stack state (default SEALOPS_STATE_DIR or ./.local)
  --subscription ID          Azure subscription (or AZURE_SUBSCRIPTION_ID)
  --resource-group NAME      resource group of the Function App
  --app NAME                 the Function App
  --app-url URL              its base URL (default https://<app>.azurewebsites.net/api)
  --vault-url URL            Key Vault holding the signing keys (or KEY_VAULT_URL)
  --secret-name NAME         signing-key secret (default TS_API_KEY_SECRET_NAME or
                             trusted-signatures-api-key)
  --storage CONN             storage connection string for the containment record
                             (default AzureWebJobsStorage)
  --storage-account-url URL  or the blob endpoint, with your Entra ID sign-in
  --workspace-id ID          Log Analytics workspace for investigate (or SEALOPS_WORKSPACE_ID)
  --trusted-root FILE        PEM root the test seal must chain to (repeatable)
  --my-address IP            the public address you call Azure from (guards --block)
  --seal-function NAME       the seal function (default seal-pdf)
  --audit-log FILE           local audit log (default <state-dir>/audit/runbooks.jsonl)
  --json                     print the result as JSON`;
