import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file readable by its owner only (0600), atomically: a crash never leaves half a key or
 * half a key list behind, and a reader sees the old file or the new one.
 */
export async function writePrivateFile(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, contents, { mode: 0o600 });
  // The mode passed to writeFile is filtered by the umask; set it outright.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
