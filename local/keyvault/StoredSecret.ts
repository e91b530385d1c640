/**
 * One version of a secret as the local vault keeps it. Times are whole Unix seconds, the unit of
 * the wire. `value` is the secret itself: it lives only here, in the state file and in backups.
 */
export interface StoredSecretVersion {
  /** 32 lowercase hex digits, as Key Vault's. */
  readonly version: string;
  readonly value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  readonly created: number;
  updated: number;
}

/** A secret: its name as first written and its versions, oldest first (the last is the latest). */
export interface StoredSecret {
  readonly name: string;
  readonly versions: StoredSecretVersion[];
}

/** A soft-deleted secret, kept until recovered, purged, or past `scheduledPurgeDate`. */
export interface StoredDeletedSecret extends StoredSecret {
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
}

/** The latest version: the one created last. */
export function latestVersion(secret: StoredSecret): StoredSecretVersion {
  const latest = secret.versions.at(-1);
  if (latest === undefined) {
    // Every path that stores a secret stores at least one version; this is a broken invariant.
    throw new Error(`The stored secret ${secret.name} has no versions.`);
  }
  return latest;
}

/**
 * Whether `candidate` has the shape of a {@link StoredSecret}: used on everything read back from
 * disk or from a backup blob, which a person may have edited.
 */
export function isStoredSecret(candidate: unknown): candidate is StoredSecret {
  if (!isRecord(candidate) || typeof candidate.name !== 'string') {
    return false;
  }
  const { versions } = candidate;
  return Array.isArray(versions) && versions.length > 0 && versions.every(isStoredSecretVersion);
}

/** Whether `candidate` has the shape of a {@link StoredDeletedSecret}. */
export function isStoredDeletedSecret(candidate: unknown): candidate is StoredDeletedSecret {
  return (
    isStoredSecret(candidate) &&
    isRecord(candidate) &&
    Number.isInteger(candidate.deletedDate) &&
    Number.isInteger(candidate.scheduledPurgeDate)
  );
}

function isStoredSecretVersion(candidate: unknown): candidate is StoredSecretVersion {
  return (
    isRecord(candidate) &&
    typeof candidate.version === 'string' &&
    /^[0-9a-f]{32}$/.test(candidate.version) &&
    typeof candidate.value === 'string' &&
    typeof candidate.enabled === 'boolean' &&
    Number.isInteger(candidate.created) &&
    Number.isInteger(candidate.updated) &&
    isOptional(candidate.nbf, Number.isInteger) &&
    isOptional(candidate.exp, Number.isInteger) &&
    isOptional(candidate.contentType, (value) => typeof value === 'string') &&
    isOptional(candidate.tags, isStringMap)
  );
}

function isOptional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isStringMap(value: unknown): boolean {
  return isRecord(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
