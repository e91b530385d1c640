/** A rule on the app's inbound addresses, as App Service access restrictions hold it. */
export interface AccessRule {
  readonly name: string;
  readonly action: 'Allow' | 'Deny';
  /** An IPv4 or IPv6 address or CIDR range, for example `203.0.113.7/32`. */
  readonly ipAddress: string;
  readonly priority: number;
  readonly description?: string;
}

/**
 * The settings of the running app that rotation and runbooks change: whether it runs, which
 * functions are disabled, its function keys and its access restrictions. On Azure this is ARM
 * (`@azure/arm-appservice`); on the local stack, the local host's admin surface. Every method reads
 * or writes the current value, so callers can read, modify and write back without losing rules or
 * keys they did not mean to touch.
 */
export interface AppControl {
  getState(): Promise<'Running' | 'Stopped'>;
  setState(state: 'Running' | 'Stopped'): Promise<void>;

  isFunctionDisabled(functionName: string): Promise<boolean>;
  setFunctionDisabled(functionName: string, disabled: boolean): Promise<void>;

  /** Function keys of one function, by key name. The values are secrets. */
  listFunctionKeys(functionName: string): Promise<Record<string, string>>;
  /** Creates or replaces a function key; a new random value when `value` is absent. Returns it. */
  setFunctionKey(functionName: string, keyName: string, value?: string): Promise<string>;
  deleteFunctionKey(functionName: string, keyName: string): Promise<void>;

  /** Host keys (valid for every function), by key name. The values are secrets. */
  listHostKeys(): Promise<Record<string, string>>;
  setHostKey(keyName: string, value?: string): Promise<string>;
  deleteHostKey(keyName: string): Promise<void>;

  getAccessRules(): Promise<readonly AccessRule[]>;
  /** Replaces the whole rule list: read, modify, write back. */
  setAccessRules(rules: readonly AccessRule[]): Promise<void>;

  /**
   * Asks the platform to resolve Key Vault references in app settings again, so a new secret
   * version takes effect now instead of within a day. A no-op where there are none.
   */
  refreshKeyVaultReferences(): Promise<void>;
}
