import { join, resolve } from 'node:path';

/**
 * The local stack's state folder a command reads: `--state-dir` when given, else
 * `SEALOPS_STATE_DIR`, else `.local` in the current folder, as `npm start` makes it.
 */
export function localStateDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env.SEALOPS_STATE_DIR ?? join(process.cwd(), '.local'));
}
