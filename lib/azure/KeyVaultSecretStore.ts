import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';

import { SecretStoreError } from '../credentials/errors/SecretStoreError.js';
import type { SecretStore, SecretWriteOptions } from '../credentials/SecretStore.js';
import type { SecretVersionProperties } from '../credentials/signingKeySecret.js';

/** {@link SecretStore} over `SecretClient`: Key Vault on Azure, the local vault on the stack. */
export class KeyVaultSecretStore implements SecretStore {
  readonly #client: SecretClient;

  constructor(client: SecretClient) {
    this.#client = client;
  }

  async listVersions(name: string): Promise<SecretVersionProperties[]> {
    const versions: SecretVersionProperties[] = [];
    try {
      for await (const properties of this.#client.listPropertiesOfSecretVersions(name)) {
        versions.push(toVersionProperties(properties));
      }
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw storeError('a list of the versions', name, error);
    }
    return versions;
  }

  async getValue(name: string, version: string): Promise<string> {
    try {
      const secret = await this.#client.getSecret(name, { version });
      return secret.value ?? '';
    } catch (error) {
      throw storeError(`a read of version ${version}`, name, error);
    }
  }

  async setSecret(
    name: string,
    value: string,
    options: SecretWriteOptions,
  ): Promise<SecretVersionProperties> {
    try {
      const secret = await this.#client.setSecret(name, value, {
        tags: { ...options.tags },
        ...(options.expiresOn ? { expiresOn: options.expiresOn } : {}),
        ...(options.contentType ? { contentType: options.contentType } : {}),
      });
      return toVersionProperties(secret.properties);
    } catch (error) {
      throw storeError('a write of a new version', name, error);
    }
  }

  async setVersionEnabled(name: string, version: string, enabled: boolean): Promise<void> {
    try {
      await this.#client.updateSecretProperties(name, version, { enabled });
    } catch (error) {
      throw storeError(`${enabled ? 'enabling' : 'disabling'} version ${version}`, name, error);
    }
  }
}

function toVersionProperties(properties: SecretProperties): SecretVersionProperties {
  return {
    name: properties.name,
    version: properties.version,
    enabled: properties.enabled,
    notBefore: properties.notBefore,
    expiresOn: properties.expiresOn,
    createdOn: properties.createdOn,
    tags: properties.tags,
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function storeError(operation: string, name: string, error: unknown): SecretStoreError {
  const details = (error as { details?: { error?: { code?: unknown } } } | null)?.details;
  const code = (error as { code?: unknown } | null)?.code;
  const vaultCode =
    typeof details?.error?.code === 'string'
      ? details.error.code
      : typeof code === 'string' && !code.startsWith('E')
        ? code
        : undefined;
  return new SecretStoreError(operation, name, statusOf(error), vaultCode, { cause: error });
}
