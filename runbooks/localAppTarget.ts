import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError } from './CommandError.js';
import { localStateDir } from './localStateDir.js';

/** Where a command finds the app and the key to call it with. */
export interface AppTarget {
  /** Base URL including the route prefix, for example `http://127.0.0.1:7071/api`. */
  readonly baseUrl: string;
  readonly functionKey: string;
}

/**
 * Resolves the app to call: `--url`/`--key`, then `SEALOPS_URL`/`SEALOPS_FUNCTION_KEY`, then the
 * local stack (its default URL and the key in its state folder).
 */
export async function resolveAppTarget(url?: string, key?: string): Promise<AppTarget> {
  const baseUrl = (url ?? process.env.SEALOPS_URL ?? 'http://127.0.0.1:7071/api').replace(
    /\/+$/,
    '',
  );
  const functionKey = key ?? process.env.SEALOPS_FUNCTION_KEY ?? (await localFunctionKey());
  if (!functionKey) {
    throw new CommandError(
      'No function key: pass --key, set SEALOPS_FUNCTION_KEY, or start the local stack.',
      2,
    );
  }
  return { baseUrl, functionKey };
}

async function localFunctionKey(): Promise<string | undefined> {
  const stateDir = localStateDir();
  try {
    const state = JSON.parse(await readFile(join(stateDir, 'host', 'state.json'), 'utf8')) as {
      hostKeys?: Record<string, string>;
    };
    return state.hostKeys?.default;
  } catch {
    return undefined;
  }
}
