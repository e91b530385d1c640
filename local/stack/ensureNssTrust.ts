import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes an NSS certificate database at `directory` that trusts `rootCertPem` for signing, so that
 * `pdfsig -nssdir sql:<directory>` reports local seals as trusted. Returns undefined when `certutil`
 * (Debian `libnss3-tools`) is not installed: pdfsig then still checks the signature itself.
 */
export async function ensureNssTrust(
  directory: string,
  rootCertPem: string,
): Promise<string | undefined> {
  const database = `sql:${directory}`;
  try {
    await access(join(directory, 'cert9.db'));
  } catch {
    await mkdir(directory, { recursive: true });
    try {
      await run('certutil', ['-N', '-d', database, '--empty-password']);
    } catch {
      return undefined;
    }
  }
  const rootPath = join(directory, 'sealops-local-root.pem');
  await writeFile(rootPath, rootCertPem);
  // -A replaces an entry of the same nickname, so a renewed root is picked up on the next start.
  await run('certutil', [
    '-A',
    '-d',
    database,
    '-n',
    'sealops-local-root',
    '-t',
    'CT,C,C',
    '-i',
    rootPath,
  ]);
  return database;
}
