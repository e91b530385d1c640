import { createHash } from 'node:crypto';

/**
 * The layout of the function keys callers use, as the rotation engine keeps them:
 *
 * - two named function keys per rotated function, `callers-a` and `callers-b`, used in turn: a
 *   rotation replaces the one not in use, and deletes the other after the overlap;
 * - each published to its own Key Vault secret, `function-key-<function>-<key name>` (for example
 *   `function-key-seal-pdf-callers-a`), for callers to read: value = the key, `expiresOn` = when the
 *   engine will have replaced it, tags `functionName`, `keyName`, `fingerprint`, `rotationId`;
 * - callers use the enabled version with the latest expiry among the two secrets, and may use
 *   either during an overlap. A disabled latest version means the key was retired.
 */
export const rotatingFunctionKeyNames = ['callers-a', 'callers-b'] as const;

/** Tag names on each function-key secret version. */
export const functionKeyTags = {
  functionName: 'functionName',
  keyName: 'keyName',
  fingerprint: 'fingerprint',
  rotationId: 'rotationId',
} as const;

/** The managed credential name of a function's keys in rotation state and events. */
export function functionKeyCredentialName(functionName: string): string {
  return `function-key:${functionName}`;
}

/** The Key Vault secret that publishes one rotating function key to callers. */
export function functionKeySecretName(functionName: string, keyName: string): string {
  return `function-key-${functionName}-${keyName}`.replace(/[^0-9A-Za-z-]/g, '-');
}

/** `sha256:` and 16 hex digits of the key's SHA-256: names a function key without revealing it. */
export function functionKeyFingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`;
}
