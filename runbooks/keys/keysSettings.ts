import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { signingKeySecretNameSetting } from '../../lib/credentials/signingKeySecret.js';
import { CommandError } from '../CommandError.js';
import type { TargetOptionValues } from '../incident/targetOptions.js';
import { localStateDir } from '../localStateDir.js';

/** The app settings `sealops keys` composes the rotation engine from, and where they came from. */
export interface KeysSettings {
  readonly kind: 'local' | 'azure';
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The settings the rotation engine runs with for the chosen target, as the app itself has them:
 * on the local stack those it wrote to `<state-dir>/stack/settings.json`; on Azure the vault,
 * storage, app and workspace named by the options (or the environment). Throws
 * {@link CommandError} (exit 2) when something is missing.
 */
export async function keysSettings(
  values: TargetOptionValues,
  env: NodeJS.ProcessEnv,
): Promise<KeysSettings> {
  const stateDir = localStateDir(values['state-dir'], env);
  const kind =
    values.target ??
    (existsSync(join(stateDir, 'stack', 'settings.json')) || !values.app ? 'local' : 'azure');
  const secretName = values['secret-name']
    ? { [signingKeySecretNameSetting]: values['secret-name'] }
    : {};
  if (kind === 'local') {
    const path = join(stateDir, 'stack', 'settings.json');
    let settings: Record<string, string>;
    try {
      settings = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    } catch {
      throw new CommandError(
        `No local stack settings in ${path}: start the stack (npm start), pass --state-dir, or use --target azure.`,
        2,
      );
    }
    return { kind, env: { ...env, ...settings, ...secretName } };
  }
  if (kind !== 'azure')
    throw new CommandError(`--target must be 'local' or 'azure', not '${kind}'.`, 2);

  const subscription = values.subscription ?? env.AZURE_SUBSCRIPTION_ID;
  const resourceGroup = values['resource-group'] ?? env.AZURE_RESOURCE_GROUP;
  const app = values.app ?? env.AZURE_FUNCTION_APP;
  const vaultUrl = values['vault-url'] ?? env.KEY_VAULT_URL;
  if (!subscription || !resourceGroup || !app || !vaultUrl) {
    throw new CommandError(
      '--target azure needs --subscription, --resource-group, --app and --vault-url (or KEY_VAULT_URL).',
      2,
    );
  }
  const storage = values.storage ?? env.AzureWebJobsStorage;
  const storageUrl = values['storage-account-url'];
  if (!storage && !storageUrl) {
    throw new CommandError(
      "Rotation state lives in the app's storage account: pass --storage or --storage-account-url.",
      2,
    );
  }
  const workspaceId =
    values['workspace-id'] ?? env.SEALOPS_LOG_WORKSPACE_ID ?? env.SEALOPS_WORKSPACE_ID;
  const appUrl = values['app-url'] ?? `https://${app}.azurewebsites.net/api`;
  return {
    kind,
    env: {
      ...env,
      KEY_VAULT_URL: vaultUrl,
      AZURE_SUBSCRIPTION_ID: subscription,
      AZURE_RESOURCE_GROUP: resourceGroup,
      AZURE_FUNCTION_APP: app,
      WEBSITE_HOSTNAME: new URL(appUrl).host,
      ...(storage ? { AzureWebJobsStorage: storage } : {}),
      ...(storageUrl ? { AzureWebJobsStorage__blobServiceUri: storageUrl } : {}),
      ...(workspaceId ? { SEALOPS_LOG_WORKSPACE_ID: workspaceId } : {}),
      ...secretName,
    },
  };
}
