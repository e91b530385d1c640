import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
  LocalKeyVault,
  LocalKeyVaultOptions,
} from '../../../local/keyvault/startLocalKeyVault.js';
import { startLocalKeyVault } from '../../../local/keyvault/startLocalKeyVault.js';
import type { LocalTls } from '../../../local/tls/ensureLocalTls.js';
import { ensureLocalTls } from '../../../local/tls/ensureLocalTls.js';

/** A temporary folder with a local CA, and the vaults started in it; `cleanup` removes all. */
export interface LocalVaultFixture {
  readonly dir: string;
  readonly tls: LocalTls;
  /** Starts a vault on `<dir>/<stateName>` (default `vault`): same name, same state. */
  start(options?: Partial<LocalKeyVaultOptions> & { stateName?: string }): Promise<LocalKeyVault>;
  cleanup(): Promise<void>;
}

export async function createLocalVaultFixture(): Promise<LocalVaultFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sealops-keyvault-'));
  const tls = await ensureLocalTls(join(dir, 'tls'));
  const started: LocalKeyVault[] = [];

  return {
    dir,
    tls,
    start: async ({ stateName = 'vault', ...options } = {}) => {
      const vault = await startLocalKeyVault({ stateDir: join(dir, stateName), tls, ...options });
      started.push(vault);
      return vault;
    },
    cleanup: async () => {
      // close() is idempotent, so vaults a test closed itself are fine here.
      await Promise.allSettled(started.map((vault) => vault.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw answer of the vault, for tests of the wire itself. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The JSON body, or `undefined` when there is none. */
  readonly body: unknown;
}

/** Sends one HTTPS request to the vault, trusting only the local CA. */
export function sendRaw(
  url: string,
  caPem: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, ca: caPem, agent: false },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: text === '' ? undefined : JSON.parse(text),
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}
