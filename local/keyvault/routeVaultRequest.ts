import { MethodNotAllowedError } from './errors/MethodNotAllowedError.js';
import { UnknownOperationError } from './errors/UnknownOperationError.js';

/** The secrets operations of the Key Vault REST API, named as the REST reference names them. */
export type VaultOperationKind =
  | 'setSecret'
  | 'getSecret'
  | 'updateSecret'
  | 'getSecrets'
  | 'getSecretVersions'
  | 'deleteSecret'
  | 'getDeletedSecret'
  | 'getDeletedSecrets'
  | 'recoverDeletedSecret'
  | 'purgeDeletedSecret'
  | 'backupSecret'
  | 'restoreSecret';

/** One routed request: the operation, the secret name and version it is about, if any. */
export interface VaultOperation {
  readonly kind: VaultOperationKind;
  /** As written in the path (percent-decoded); checked against the name rules later. */
  readonly name?: string;
  /** `undefined` for "latest" (no segment, or the empty segment of `/secrets/{name}/`). */
  readonly version?: string;
}

type MethodTable = Readonly<Partial<Record<string, VaultOperationKind>>>;

/**
 * Maps a method and path to a secrets operation.
 *
 * `/secrets/{name}` and `/secrets/{name}/` both mean the latest version (the SDK sends the
 * trailing slash). `versions`, `backup`, `restore` and `recover` are reserved segments: a version
 * id is 32 hex digits, so it can never collide with them.
 */
export function routeVaultRequest(method: string, pathname: string): VaultOperation {
  const segments = pathname.split('/').slice(1).map(decodeSegment);
  const [collection, name, rest, ...extra] = segments;
  const route = (table: MethodTable, target: Omit<VaultOperation, 'kind'>): VaultOperation => {
    const kind = table[method];
    if (kind === undefined) {
      throw new MethodNotAllowedError(method, pathname, Object.keys(table));
    }
    return { kind, ...target };
  };

  if (extra.length > 0 || segments.some((segment) => segment === undefined)) {
    throw new UnknownOperationError(method, pathname);
  }

  if (collection === 'secrets') {
    if (name === undefined || name === '') {
      return route({ GET: 'getSecrets' }, {});
    }
    if (name === 'restore' && rest === undefined && method === 'POST') {
      return { kind: 'restoreSecret' };
    }
    if (rest === undefined) {
      return route({ PUT: 'setSecret', DELETE: 'deleteSecret', GET: 'getSecret' }, { name });
    }
    if (rest === 'versions') {
      return route({ GET: 'getSecretVersions' }, { name });
    }
    if (rest === 'backup') {
      return route({ POST: 'backupSecret' }, { name });
    }
    const version = rest === '' ? undefined : rest;
    return route({ GET: 'getSecret', PATCH: 'updateSecret' }, { name, version });
  }

  if (collection === 'deletedsecrets') {
    if (name === undefined || name === '') {
      return route({ GET: 'getDeletedSecrets' }, {});
    }
    if (rest === undefined || rest === '') {
      return route({ GET: 'getDeletedSecret', DELETE: 'purgeDeletedSecret' }, { name });
    }
    if (rest === 'recover') {
      return route({ POST: 'recoverDeletedSecret' }, { name });
    }
  }

  throw new UnknownOperationError(method, pathname);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed percent-encoding: no operation matches it.
    return undefined;
  }
}
