import type {
  IpSecurityRestriction,
  WebSiteManagementClientOptionalParams,
} from '@azure/arm-appservice';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
// NOTE: a transitive dependency of every Azure SDK package here, not declared in package.json; the
// generated client has no method for the reference refresh, so it is sent through its pipeline.
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline';

import type { AccessRule, AppControl } from '../appcontrol/AppControl.js';
import { ArmOperationFailedError } from './errors/ArmOperationFailedError.js';
import { UnexpectedAppStateError } from './errors/UnexpectedAppStateError.js';

/** Options of {@link ArmAppControl}: those of `WebSiteManagementClient`. */
export interface ArmAppControlOptions extends WebSiteManagementClientOptionalParams {
  /**
   * The ARM endpoint. Set it for a sovereign cloud: the reference refresh is sent here too.
   * @default 'https://management.azure.com'
   */
  readonly endpoint?: string;
  /**
   * The api-version of the Key Vault reference refresh call, which the SDK does not cover.
   * @default '2022-03-01'
   */
  readonly refreshApiVersion?: string;
}

/** Host-level function keys live under this key type; `systemKeys` and `_master` are not touched. */
const HOST_FUNCTION_KEYS = 'functionKeys';

/** The entry ARM reports when no rule is set; the platform adds it, nobody writes it. */
const IMPLICIT_ALLOW_ALL = 'Any';

/**
 * {@link AppControl} over Azure Resource Manager (`@azure/arm-appservice`) for one Function App.
 *
 * - State: `webApps.get` (`state`), `stop`, `start`.
 * - Disabled functions: the app setting `AzureWebJobs.<name>.Disabled`, read, modified and written
 *   back as a whole (`updateApplicationSettings` replaces the set). Writing app settings restarts
 *   the app, so an unchanged value is not written. A disabled function still runs for the master key.
 * - Keys: function keys per function; host keys of type `functionKeys` (the master key and system
 *   keys are never listed nor changed here).
 * - Access rules: `siteConfig.ipSecurityRestrictions` through `getConfiguration` and a PATCH
 *   (`updateConfiguration`) that carries only that list, so no other site setting is rewritten.
 *   Only plain address rules are exposed as {@link AccessRule}s; virtual-network, service-tag and
 *   subnet-mask rules are kept as they are on every write, and an exposed rule keeps the fields it
 *   had (headers, tag) when it is written back under the same name and address.
 * - Reference refresh: `POST …/config/configreferences/appsettings/refresh`, sent through the
 *   client's own pipeline (same credential, retries and TLS options).
 *
 * Needs a role that may manage the app, e.g. Website Contributor on the app.
 */
export class ArmAppControl implements AppControl {
  readonly #client: WebSiteManagementClient;
  readonly #resourceGroup: string;
  readonly #appName: string;
  readonly #siteUrl: string;
  readonly #refreshApiVersion: string;

  constructor(
    subscriptionId: string,
    resourceGroup: string,
    appName: string,
    credential: TokenCredential = new DefaultAzureCredential(),
    options: ArmAppControlOptions = {},
  ) {
    const { refreshApiVersion = '2022-03-01', ...clientOptions } = options;
    const endpoint = (options.endpoint ?? 'https://management.azure.com').replace(/\/+$/, '');
    this.#client = new WebSiteManagementClient(credential, subscriptionId, clientOptions);
    this.#resourceGroup = resourceGroup;
    this.#appName = appName;
    this.#siteUrl =
      `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}` +
      `/resourceGroups/${encodeURIComponent(resourceGroup)}` +
      `/providers/Microsoft.Web/sites/${encodeURIComponent(appName)}`;
    this.#refreshApiVersion = refreshApiVersion;
  }

  async getState(): Promise<'Running' | 'Stopped'> {
    const site = await this.#arm('get', (rg, app) => this.#client.webApps.get(rg, app));
    if (site.state !== 'Running' && site.state !== 'Stopped') {
      throw new UnexpectedAppStateError(this.#appName, site.state);
    }
    return site.state;
  }

  async setState(state: 'Running' | 'Stopped'): Promise<void> {
    if (state === 'Stopped') {
      await this.#arm('stop', (rg, app) => this.#client.webApps.stop(rg, app));
    } else {
      await this.#arm('start', (rg, app) => this.#client.webApps.start(rg, app));
    }
  }

  async isFunctionDisabled(functionName: string): Promise<boolean> {
    const settings = await this.#appSettings();
    return isTrue(settings[disabledSetting(functionName)]);
  }

  async setFunctionDisabled(functionName: string, disabled: boolean): Promise<void> {
    const settings = await this.#appSettings();
    const name = disabledSetting(functionName);
    if (isTrue(settings[name]) === disabled) {
      return;
    }

    const updated = { ...settings };
    if (disabled) {
      updated[name] = 'true';
    } else {
      delete updated[name];
    }
    await this.#arm('updateApplicationSettings', (rg, app) =>
      this.#client.webApps.updateApplicationSettings(rg, app, { properties: updated }),
    );
  }

  async listFunctionKeys(functionName: string): Promise<Record<string, string>> {
    // NOTE: ARM answers `listkeys` with a flat `{ "<keyName>": "<value>" }`, not the
    // `StringDictionary` the API spec declares (Azure/azure-rest-api-specs#11401), so the SDK's
    // `properties` comes back empty. The raw body is read instead; a spec-shaped body works too.
    let body: unknown;
    const keys = await this.#arm('listFunctionKeys', (rg, app) =>
      this.#client.webApps.listFunctionKeys(rg, app, functionName, {
        onResponse: (response) => {
          body = response.parsedBody;
        },
      }),
    );
    return keys.properties !== undefined ? { ...keys.properties } : stringEntries(body);
  }

  async setFunctionKey(functionName: string, keyName: string, value?: string): Promise<string> {
    const saved = await this.#arm('createOrUpdateFunctionSecret', (rg, app) =>
      this.#client.webApps.createOrUpdateFunctionSecret(rg, app, functionName, keyName, {
        name: keyName,
        ...(value === undefined ? {} : { value }),
      }),
    );
    return saved.value ?? this.#readBack(await this.listFunctionKeys(functionName), keyName);
  }

  async deleteFunctionKey(functionName: string, keyName: string): Promise<void> {
    await this.#arm(
      'deleteFunctionSecret',
      (rg, app) => this.#client.webApps.deleteFunctionSecret(rg, app, functionName, keyName),
      { absentIsDone: true },
    );
  }

  async listHostKeys(): Promise<Record<string, string>> {
    const keys = await this.#arm('listHostKeys', (rg, app) =>
      this.#client.webApps.listHostKeys(rg, app),
    );
    return { ...keys.functionKeys };
  }

  async setHostKey(keyName: string, value?: string): Promise<string> {
    const saved = await this.#arm('createOrUpdateHostSecret', (rg, app) =>
      this.#client.webApps.createOrUpdateHostSecret(rg, app, HOST_FUNCTION_KEYS, keyName, {
        name: keyName,
        ...(value === undefined ? {} : { value }),
      }),
    );
    return saved.value ?? this.#readBack(await this.listHostKeys(), keyName);
  }

  async deleteHostKey(keyName: string): Promise<void> {
    await this.#arm(
      'deleteHostSecret',
      (rg, app) => this.#client.webApps.deleteHostSecret(rg, app, HOST_FUNCTION_KEYS, keyName),
      { absentIsDone: true },
    );
  }

  async getAccessRules(): Promise<readonly AccessRule[]> {
    const restrictions = await this.#restrictions();
    return restrictions.filter(isPlainAddressRule).map(toAccessRule);
  }

  async setAccessRules(rules: readonly AccessRule[]): Promise<void> {
    const current = await this.#restrictions();
    const kept = current.filter((entry) => !isPlainAddressRule(entry) && !isImplicit(entry));
    const written = rules.map((rule): IpSecurityRestriction => {
      const before = current.find((e) => e.name === rule.name && e.ipAddress === rule.ipAddress);
      return {
        ...before,
        name: rule.name,
        action: rule.action,
        ipAddress: rule.ipAddress,
        priority: rule.priority,
        ...(rule.description === undefined ? {} : { description: rule.description }),
      };
    });

    await this.#arm('updateConfiguration', (rg, app) =>
      this.#client.webApps.updateConfiguration(rg, app, {
        ipSecurityRestrictions: [...written, ...kept],
      }),
    );
  }

  async refreshKeyVaultReferences(): Promise<void> {
    const request = createPipelineRequest({
      url: `${this.#siteUrl}/config/configreferences/appsettings/refresh?api-version=${this.#refreshApiVersion}`,
      method: 'POST',
    });
    const response = await this.#arm('refreshKeyVaultReferences', () =>
      this.#client.pipeline.sendRequest(createDefaultHttpClient(), request),
    );
    if (response.status < 200 || response.status > 299) {
      throw new ArmOperationFailedError(
        'refreshKeyVaultReferences',
        this.#appName,
        response.status,
      );
    }
  }

  async #appSettings(): Promise<Record<string, string>> {
    const settings = await this.#arm('listApplicationSettings', (rg, app) =>
      this.#client.webApps.listApplicationSettings(rg, app),
    );
    return { ...settings.properties };
  }

  async #restrictions(): Promise<IpSecurityRestriction[]> {
    const config = await this.#arm('getConfiguration', (rg, app) =>
      this.#client.webApps.getConfiguration(rg, app),
    );
    return config.ipSecurityRestrictions ?? [];
  }

  #readBack(keys: Record<string, string>, keyName: string): string {
    const value = keys[keyName];
    if (value === undefined) {
      throw new ArmOperationFailedError(`reading back key '${keyName}'`, this.#appName, 404);
    }
    return value;
  }

  /** Runs one ARM call, replacing SDK errors (which may hold the request) with a plain one. */
  async #arm<T>(
    operation: string,
    call: (resourceGroup: string, appName: string) => Promise<T>,
    { absentIsDone = false } = {},
  ): Promise<T> {
    try {
      return await call(this.#resourceGroup, this.#appName);
    } catch (error) {
      const { statusCode, code } = restErrorFields(error);
      if (absentIsDone && statusCode === 404) {
        return undefined as T;
      }
      throw new ArmOperationFailedError(operation, this.#appName, statusCode, code);
    }
  }
}

function disabledSetting(functionName: string): string {
  return `AzureWebJobs.${functionName}.Disabled`;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1'].includes(value.trim().toLowerCase());
}

function isImplicit(entry: IpSecurityRestriction): boolean {
  return entry.ipAddress === IMPLICIT_ALLOW_ALL;
}

function isPlainAddressRule(entry: IpSecurityRestriction): boolean {
  return (
    entry.ipAddress !== undefined &&
    !isImplicit(entry) &&
    entry.vnetSubnetResourceId === undefined &&
    entry.subnetMask === undefined &&
    (entry.tag === undefined || entry.tag === 'Default') &&
    (entry.action === 'Allow' || entry.action === 'Deny')
  );
}

function toAccessRule(entry: IpSecurityRestriction): AccessRule {
  return {
    name: entry.name ?? '',
    action: entry.action as 'Allow' | 'Deny',
    ipAddress: entry.ipAddress ?? '',
    priority: entry.priority ?? 0,
    ...(entry.description === undefined ? {} : { description: entry.description }),
  };
}

function stringEntries(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function restErrorFields(error: unknown): { statusCode?: number; code?: string } {
  if (typeof error !== 'object' || error === null) {
    return {};
  }
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  return {
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}
