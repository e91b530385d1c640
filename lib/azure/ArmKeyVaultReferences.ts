import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/identity';

import type {
  ReferenceVersionSource,
  ResolvedReference,
} from '../rotation/ReferenceVersionSource.js';
import { ArmOperationFailedError } from './errors/ArmOperationFailedError.js';

/**
 * {@link ReferenceVersionSource} over ARM `listAppSettingsKeyVaultReferences`: which secret
 * version App Service resolved for each Key Vault reference in the app's settings.
 */
export class ArmKeyVaultReferences implements ReferenceVersionSource {
  readonly #client: WebSiteManagementClient;
  readonly #resourceGroup: string;
  readonly #appName: string;

  constructor(
    subscriptionId: string,
    resourceGroup: string,
    appName: string,
    credential: TokenCredential,
  ) {
    this.#client = new WebSiteManagementClient(credential, subscriptionId);
    this.#resourceGroup = resourceGroup;
    this.#appName = appName;
  }

  async list(): Promise<readonly ResolvedReference[]> {
    const references: ResolvedReference[] = [];
    try {
      const pages = this.#client.webApps.listAppSettingsKeyVaultReferences(
        this.#resourceGroup,
        this.#appName,
      );
      for await (const reference of pages) {
        references.push({
          setting: reference.name?.split('/').at(-1) ?? '',
          secretName: reference.secretName ?? '',
          status: reference.status ?? 'Unknown',
          ...(reference.activeVersion ? { activeVersion: reference.activeVersion } : {}),
        });
      }
    } catch (error) {
      const status = (error as { statusCode?: unknown } | null)?.statusCode;
      throw new ArmOperationFailedError(
        'listAppSettingsKeyVaultReferences',
        this.#appName,
        typeof status === 'number' ? status : undefined,
      );
    }
    return references;
  }
}
