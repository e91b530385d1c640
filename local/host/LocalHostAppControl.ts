import type { AccessRule, AppControl } from '../../lib/appcontrol/AppControl.js';

/**
 * {@link AppControl} over the local host's admin surface (`/admin/...`, master key), the stand-in
 * for ARM on the local stack. `hostUrl` is the host's origin, without `/api`.
 */
export class LocalHostAppControl implements AppControl {
  readonly #hostUrl: string;
  readonly #masterKey: string;

  constructor(hostUrl: string, masterKey: string) {
    this.#hostUrl = hostUrl.replace(/\/+$/, '');
    this.#masterKey = masterKey;
  }

  async getState(): Promise<'Running' | 'Stopped'> {
    return ((await this.#call('GET', 'app/state')) as { state: 'Running' | 'Stopped' }).state;
  }

  async setState(state: 'Running' | 'Stopped'): Promise<void> {
    await this.#call('PUT', 'app/state', { state });
  }

  async isFunctionDisabled(functionName: string): Promise<boolean> {
    const path = `app/functions/${encodeURIComponent(functionName)}/disabled`;
    return ((await this.#call('GET', path)) as { disabled: boolean }).disabled;
  }

  async setFunctionDisabled(functionName: string, disabled: boolean): Promise<void> {
    await this.#call('PUT', `app/functions/${encodeURIComponent(functionName)}/disabled`, {
      disabled,
    });
  }

  async listFunctionKeys(functionName: string): Promise<Record<string, string>> {
    return toRecord(await this.#call('GET', `functions/${encodeURIComponent(functionName)}/keys`));
  }

  async setFunctionKey(functionName: string, keyName: string, value?: string): Promise<string> {
    const path = `functions/${encodeURIComponent(functionName)}/keys/${encodeURIComponent(keyName)}`;
    return ((await this.#call('PUT', path, { value })) as { value: string }).value;
  }

  async deleteFunctionKey(functionName: string, keyName: string): Promise<void> {
    const path = `functions/${encodeURIComponent(functionName)}/keys/${encodeURIComponent(keyName)}`;
    await this.#call('DELETE', path);
  }

  async listHostKeys(): Promise<Record<string, string>> {
    return toRecord(await this.#call('GET', 'host/keys'));
  }

  async setHostKey(keyName: string, value?: string): Promise<string> {
    const path = `host/keys/${encodeURIComponent(keyName)}`;
    return ((await this.#call('PUT', path, { value })) as { value: string }).value;
  }

  async deleteHostKey(keyName: string): Promise<void> {
    await this.#call('DELETE', `host/keys/${encodeURIComponent(keyName)}`);
  }

  async getAccessRules(): Promise<readonly AccessRule[]> {
    return ((await this.#call('GET', 'app/accessRestrictions')) as { rules: AccessRule[] }).rules;
  }

  async setAccessRules(rules: readonly AccessRule[]): Promise<void> {
    await this.#call('PUT', 'app/accessRestrictions', { rules });
  }

  /** The local host reads settings once at start; there are no Key Vault references to refresh. */
  refreshKeyVaultReferences(): Promise<void> {
    return Promise.resolve();
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.#hostUrl}/admin/${path}`, {
      method,
      headers: { 'x-functions-key': this.#masterKey, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`The local host answered ${response.status} to ${method} /admin/${path}.`);
    }
    return response.status === 204 ? undefined : response.json();
  }
}

function toRecord(body: unknown): Record<string, string> {
  const keys = (body as { keys: { name: string; value: string }[] }).keys;
  return Object.fromEntries(keys.map(({ name, value }) => [name, value]));
}
