import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { LocalTls } from '../tls/ensureLocalTls.js';
import type { VaultRequestRecord } from './createVaultRequestHandler.js';
import { createVaultRequestHandler } from './createVaultRequestHandler.js';
import { InvalidLocalVaultOptionError } from './errors/InvalidLocalVaultOptionError.js';
import { LocalVaultStore } from './LocalVaultStore.js';
import { ShiftableClock } from './ShiftableClock.js';
import { VaultFaults } from './VaultFaults.js';
import { VaultStateFile } from './VaultStateFile.js';

/** Options of {@link startLocalKeyVault}. */
export interface LocalKeyVaultOptions {
  /** Folder for `keyvault-state.json` (created if missing); the vault's content survives restarts. */
  readonly stateDir: string;
  /** The certificate to serve, usually from `ensureLocalTls`; clients trust its CA. */
  readonly tls: Pick<LocalTls, 'certPem' | 'keyPem'>;
  /**
   * TCP port; 0 picks a free one (read it back from `url`).
   * @default 0
   */
  readonly port?: number;
  /**
   * Address to listen on. Keep it on loopback: the vault accepts any bearer token.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * The time source under the vault's shiftable clock.
   * @default () => new Date()
   */
  readonly clock?: () => Date;
  /**
   * Refuse requests whose api-version is missing or not one `@azure/keyvault-secrets` can send
   * (400 BadParameter); when false, every api-version is served alike.
   * @default false
   */
  readonly strictApiVersion?: boolean;
  /**
   * The tenant named in the 401 challenge; the SDK passes it to the credential.
   * @default '00000000-0000-0000-0000-000000000000'
   */
  readonly tenantId?: string;
  /**
   * Accept only these bearer tokens (others get 401), to test authentication failures.
   * @default any bearer token is accepted
   */
  readonly acceptedTokens?: readonly string[];
  /**
   * Soft-delete retention, 7 to 90 days: `recoverableDays`, and when a deleted secret is purged.
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Called after each answer with its method, path, api-version and status (never headers or
   * bodies): for request logs and for tests that count what the client sent.
   * @default none
   */
  readonly onRequest?: (record: VaultRequestRecord) => void;
}

/** A running local Key Vault. */
export interface LocalKeyVault {
  /** The vault URL to give `SecretClient`, e.g. `https://127.0.0.1:50123`. */
  readonly url: string;
  /** The vault's clock: shift it to make secrets expire or retention run out. */
  readonly clock: ShiftableClock;
  /** Failures to inject into the next requests (429 throttling). */
  readonly faults: VaultFaults;
  /** Where the vault's state is kept. */
  readonly statePath: string;
  /** Same as `clock.setOffset(ms)`: run the vault's clock `ms` ahead of its source. */
  setClockOffset(ms: number): void;
  /**
   * Stops listening, drops open connections and waits until the state is on disk. Calling it
   * again returns the same promise.
   */
  close(): Promise<void>;
}

const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Starts a Key Vault secrets server that the unmodified `@azure/keyvault-secrets` `SecretClient`
 * talks to over HTTPS: the 401 challenge flow, versions, update, paged lists, soft delete, recover,
 * purge, backup and restore, with the service's status codes and error bodies.
 *
 * Clients need `localVaultCredential()` and `localVaultClientOptions(caPem)`.
 */
export async function startLocalKeyVault(options: LocalKeyVaultOptions): Promise<LocalKeyVault> {
  const {
    stateDir,
    tls,
    port = 0,
    host = '127.0.0.1',
    clock: clockSource,
    strictApiVersion = false,
    tenantId = DEFAULT_TENANT_ID,
    acceptedTokens,
    softDeleteRetentionDays = 90,
    onRequest,
  } = options;
  checkOptions(port, softDeleteRetentionDays, acceptedTokens);

  const clock = new ShiftableClock(clockSource);
  const file = new VaultStateFile(stateDir);
  const store = await LocalVaultStore.open(file, clock, softDeleteRetentionDays);
  const faults = new VaultFaults();

  const server = createServer({ cert: tls.certPem, key: tls.keyPem, minVersion: 'TLSv1.2' });
  server.listen(port, host);
  await once(server, 'listening');
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  server.on(
    'request',
    createVaultRequestHandler({
      store,
      faults,
      defaultOrigin: url,
      tenantId,
      acceptedTokens: acceptedTokens === undefined ? undefined : new Set(acceptedTokens),
      strictApiVersion,
      onRequest,
    }),
  );

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const closed = once(server, 'close');
    server.close();
    // Clients keep connections alive; without this, close would wait for them to time out.
    server.closeAllConnections();
    await closed;
    await store.flush();
  };

  return {
    url,
    clock,
    faults,
    statePath: file.path,
    setClockOffset: (ms) => clock.setOffset(ms),
    // Once only: a second call gets the first call's promise.
    close: () => (closing ??= close()),
  };
}

function checkOptions(
  port: number,
  retentionDays: number,
  acceptedTokens: readonly string[] | undefined,
): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidLocalVaultOptionError('port', 'an integer from 0 to 65535');
  }
  if (!Number.isInteger(retentionDays) || retentionDays < 7 || retentionDays > 90) {
    throw new InvalidLocalVaultOptionError('softDeleteRetentionDays', 'an integer from 7 to 90');
  }
  if (acceptedTokens?.some((token) => !/^\S+$/.test(token)) === true) {
    throw new InvalidLocalVaultOptionError('acceptedTokens', 'a list of tokens without spaces');
  }
}
