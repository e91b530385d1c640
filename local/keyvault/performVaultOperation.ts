import type { LocalVaultStore } from './LocalVaultStore.js';
import {
  checkSecretName,
  parseSecretRestoreParameters,
  parseSecretSetParameters,
  parseSecretUpdateParameters,
} from './parseSecretParameters.js';
import { readPage } from './readPage.js';
import type { VaultOperation } from './routeVaultRequest.js';
import { decodeSecretBackup, encodeSecretBackup } from './secretBackup.js';
import type { VaultWireContext } from './secretWireShapes.js';
import { toDeletedSecret, toSecretBundle, toSecretItem } from './secretWireShapes.js';

/** Everything one operation needs from its request. */
export interface VaultRequestContext {
  readonly store: LocalVaultStore;
  readonly wire: VaultWireContext;
  readonly query: URLSearchParams;
  /** `origin + pathname` of the request, where list pages continue. */
  readonly listUrl: string;
  readonly apiVersion: string;
  /** Reads and parses the JSON body; only operations that take one call it. */
  readonly readBody: () => Promise<unknown>;
}

/** What to answer: a status and, unless it is 204, a JSON body. */
export interface VaultResponse {
  readonly status: number;
  readonly body?: unknown;
}

/** Performs one routed operation against the store and shapes the answer as the service does. */
export async function performVaultOperation(
  operation: VaultOperation,
  context: VaultRequestContext,
): Promise<VaultResponse> {
  const { store, wire } = context;
  const name = operation.name === undefined ? '' : checkSecretName(operation.name);
  const page = { query: context.query, listUrl: context.listUrl, apiVersion: context.apiVersion };

  switch (operation.kind) {
    case 'setSecret': {
      const input = parseSecretSetParameters(await context.readBody());
      const set = await store.setSecret(name, input);
      return ok(toSecretBundle(wire, set.name, set.version, true));
    }
    case 'getSecret': {
      const got = store.getSecret(name, operation.version);
      return ok(toSecretBundle(wire, got.name, got.version, true));
    }
    case 'updateSecret': {
      const input = parseSecretUpdateParameters(await context.readBody());
      const updated = await store.updateSecret(name, operation.version, input);
      return ok(toSecretBundle(wire, updated.name, updated.version, false));
    }
    case 'getSecrets': {
      const items = store
        .listSecrets()
        .map((secret) => toSecretItem(wire, secret.name, secret.version, false));
      return ok(readPage(items, page));
    }
    case 'getSecretVersions': {
      const items = store
        .listSecretVersions(name)
        .map((secret) => toSecretItem(wire, secret.name, secret.version, true));
      return ok(readPage(items, page));
    }
    case 'deleteSecret':
      return ok(toDeletedSecret(wire, await store.deleteSecret(name)));
    case 'getDeletedSecret':
      return ok(toDeletedSecret(wire, store.getDeletedSecret(name)));
    case 'getDeletedSecrets': {
      const items = store.listDeletedSecrets().map((deleted) => toDeletedSecret(wire, deleted));
      return ok(readPage(items, page));
    }
    case 'recoverDeletedSecret': {
      const recovered = await store.recoverDeletedSecret(name);
      return ok(toSecretBundle(wire, recovered.name, recovered.version, false));
    }
    case 'purgeDeletedSecret':
      await store.purgeDeletedSecret(name);
      return { status: 204 };
    case 'backupSecret':
      return ok({ value: encodeSecretBackup(store.backupSecret(name)) });
    case 'restoreSecret': {
      const backup = decodeSecretBackup(parseSecretRestoreParameters(await context.readBody()));
      checkSecretName(backup.name);
      const restored = await store.restoreSecret(backup);
      return ok(toSecretBundle(wire, restored.name, restored.version, false));
    }
  }
}

function ok(body: unknown): VaultResponse {
  return { status: 200, body };
}
