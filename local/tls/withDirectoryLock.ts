import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock older than this is taken to be left behind by a process that died holding it. */
const STALE_LOCK_MS = 30_000;
const RETRY_MS = 50;

/**
 * Runs `work` while holding a lock that other processes on this machine respect: the lock is the
 * directory `lockPath`, whose creation is atomic. A lock left by a crashed process is broken after
 * 30 seconds.
 */
export async function withDirectoryLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  while (!(await tryLock(lockPath))) {
    await sleep(RETRY_MS);
  }

  try {
    return await work();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function tryLock(lockPath: string): Promise<boolean> {
  try {
    await mkdir(lockPath);
    return true;
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) {
      throw error;
    }
  }

  const heldSince = await stat(lockPath).then(
    (stats) => stats.mtimeMs,
    // Released between our mkdir and stat: try again after the pause.
    () => undefined,
  );
  if (heldSince !== undefined && Date.now() - heldSince > STALE_LOCK_MS) {
    await rm(lockPath, { recursive: true, force: true });
  }
  return false;
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
