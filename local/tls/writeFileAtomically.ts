import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/**
 * Replaces `path` with `content` so that a reader (or a restart after a crash) sees either the old
 * file or the new one, never half of one: the bytes go to a temporary file beside it, are flushed
 * to disk, and the temporary file is renamed over `path`.
 */
export async function writeFileAtomically(
  path: string,
  content: string,
  mode: number = 0o600,
): Promise<void> {
  // A random suffix, so that two writers of the same file never share a temporary file.
  const temporaryPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;

  try {
    const handle = await open(temporaryPath, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}
