import { readFile } from 'node:fs/promises';

/**
 * Reads `Values` from a `local.settings.json`, as Core Tools does, and returns them without
 * applying them. A missing file is no settings; a malformed one is an error that names the file.
 */
export async function loadLocalSettings(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
  const values = (parsed as { Values?: unknown }).Values ?? {};
  if (typeof values !== 'object' || values === null) {
    throw new Error(`${path}: "Values" must be an object of strings.`);
  }
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}
