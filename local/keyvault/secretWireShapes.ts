import type { StoredDeletedSecret, StoredSecretVersion } from './StoredSecret.js';
import { latestVersion } from './StoredSecret.js';

/** What every wire shape needs to know about the vault that answers. */
export interface VaultWireContext {
  /** `https://host:port` as the client addressed the vault; ids are built from it. */
  readonly origin: string;
  readonly recoveryLevel: string;
  readonly recoverableDays: number;
}

/** `attributes` on the wire: times in Unix seconds. */
export interface WireSecretAttributes {
  readonly enabled: boolean;
  readonly nbf?: number;
  readonly exp?: number;
  readonly created: number;
  readonly updated: number;
  readonly recoveryLevel: string;
  readonly recoverableDays: number;
}

/** A SecretItem (list results): never a value. */
export interface WireSecretItem {
  readonly id: string;
  readonly attributes: WireSecretAttributes;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
}

/** A SecretBundle: a SecretItem with a versioned id and, where the service sends it, the value. */
export interface WireSecretBundle extends WireSecretItem {
  readonly value?: string;
}

/** A DeletedSecretBundle / DeletedSecretItem. */
export interface WireDeletedSecret extends WireSecretItem {
  readonly recoveryId: string;
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
}

/**
 * The SecretBundle of one version. `includeValue` is true only for set and get: update, recover
 * and restore answer without the value, as the service does.
 */
export function toSecretBundle(
  context: VaultWireContext,
  name: string,
  version: StoredSecretVersion,
  includeValue: boolean,
): WireSecretBundle {
  return {
    ...(includeValue ? { value: version.value } : {}),
    ...toItem(context, `${secretUrl(context, name)}/${version.version}`, version),
  };
}

/**
 * A SecretItem. In a list of secrets the id has no version (`versioned: false`); in a list of
 * versions it has one.
 */
export function toSecretItem(
  context: VaultWireContext,
  name: string,
  version: StoredSecretVersion,
  versioned: boolean,
): WireSecretItem {
  const id = versioned
    ? `${secretUrl(context, name)}/${version.version}`
    : secretUrl(context, name);
  return toItem(context, id, version);
}

/** A deleted secret: its latest version's properties (no value), recovery id and dates. */
export function toDeletedSecret(
  context: VaultWireContext,
  deleted: StoredDeletedSecret,
): WireDeletedSecret {
  const latest = latestVersion(deleted);
  return {
    ...toItem(context, `${secretUrl(context, deleted.name)}/${latest.version}`, latest),
    recoveryId: `${context.origin}/deletedsecrets/${encodeURIComponent(deleted.name)}`,
    deletedDate: deleted.deletedDate,
    scheduledPurgeDate: deleted.scheduledPurgeDate,
  };
}

function toItem(
  context: VaultWireContext,
  id: string,
  version: StoredSecretVersion,
): WireSecretItem {
  return {
    id,
    attributes: {
      enabled: version.enabled,
      ...(version.nbf === undefined ? {} : { nbf: version.nbf }),
      ...(version.exp === undefined ? {} : { exp: version.exp }),
      created: version.created,
      updated: version.updated,
      recoveryLevel: context.recoveryLevel,
      recoverableDays: context.recoverableDays,
    },
    ...(version.contentType === undefined ? {} : { contentType: version.contentType }),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
  };
}

function secretUrl(context: VaultWireContext, name: string): string {
  return `${context.origin}/secrets/${encodeURIComponent(name)}`;
}
