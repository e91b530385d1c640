import { BadParameterError } from './errors/BadParameterError.js';
import type { StoredSecret } from './StoredSecret.js';
import { isStoredSecret } from './StoredSecret.js';

const FORMAT = 'sealops-local-keyvault-backup';
const FORMAT_VERSION = 1;

/**
 * Encodes a secret, every version with its value, as a backup blob (the `value` of a
 * BackupSecretResult, base64url as on the wire).
 *
 * NOTE: Key Vault's blobs are encrypted for its own region and subscription; this one is plain
 * JSON that anyone holding it can read. Local vault backups are for tests, never for real keys,
 * and are not accepted by Azure (nor Azure's by this vault).
 */
export function encodeSecretBackup(secret: StoredSecret): string {
  const blob = { format: FORMAT, formatVersion: FORMAT_VERSION, secret };
  return Buffer.from(JSON.stringify(blob), 'utf8').toString('base64url');
}

/** Decodes a blob made by {@link encodeSecretBackup}; anything else is a bad parameter. */
export function decodeSecretBackup(value: string): StoredSecret {
  let blob: unknown;
  try {
    blob = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    // The parser's message would quote the blob, which holds secret values: not passed on.
    blob = undefined;
  }

  const fields = typeof blob === 'object' && blob !== null ? (blob as Record<string, unknown>) : {};
  if (
    fields.format !== FORMAT ||
    fields.formatVersion !== FORMAT_VERSION ||
    !isStoredSecret(fields.secret)
  ) {
    throw new BadParameterError('value', 'a backup blob made by backupSecret of a local vault');
  }
  return fields.secret;
}
