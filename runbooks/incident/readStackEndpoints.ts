import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the running local stack's services listen, as it writes them to
 * `<stateDir>/stack/endpoints.json` on start (ports are free ports, so a command cannot guess
 * them). No secrets: keys stay in their own files.
 */
export interface StackEndpoints {
  readonly baseUrl?: string;
  readonly signingServiceUrl?: string;
  readonly storageConnectionString?: string;
  readonly telemetryDir?: string;
  readonly keyVaultUrl?: string;
  readonly keyVaultCaFile?: string;
}

/** Reads the endpoints file; empty when the stack has not written one. */
export async function readStackEndpoints(stateDir: string): Promise<StackEndpoints> {
  try {
    const value = JSON.parse(
      await readFile(join(stateDir, 'stack', 'endpoints.json'), 'utf8'),
    ) as unknown;
    if (typeof value !== 'object' || value === null) return {};
    const text = (name: string) => {
      const field = (value as Record<string, unknown>)[name];
      return typeof field === 'string' && field !== '' ? { [name]: field } : {};
    };
    return {
      ...text('baseUrl'),
      ...text('signingServiceUrl'),
      ...text('storageConnectionString'),
      ...text('telemetryDir'),
      ...text('keyVaultUrl'),
      ...text('keyVaultCaFile'),
    };
  } catch {
    return {};
  }
}
