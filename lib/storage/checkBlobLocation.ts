import type { BlobLocation } from './BlobLocation.js';
import { InvalidBlobNameError } from './errors/InvalidBlobNameError.js';
import { InvalidContainerNameError } from './errors/InvalidContainerNameError.js';

const maxBlobNameLength = 1024;
const maxPathSegments = 254;

/**
 * Checks a container name against Azure's rules: 3 to 63 lowercase letters, digits and single
 * hyphens, starting and ending with a letter or digit. `$root` and the other `$` containers are
 * refused: they are not places for documents.
 *
 * @param field the request field, named in the error
 * @throws InvalidContainerNameError
 */
export function checkContainerName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidContainerNameError(field, 'expected a container name');
  }
  if (value.length < 3 || value.length > 63) {
    throw new InvalidContainerNameError(field, 'expected 3 to 63 characters');
  }
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(value)) {
    throw new InvalidContainerNameError(
      field,
      'expected lowercase letters, digits and single hyphens, starting and ending with a letter ' +
        'or digit',
    );
  }
  return value;
}

/**
 * Checks a blob name: 1 to 1024 characters, at most 254 `/`-separated segments, no control
 * characters, and not ending in `.` or `/` (Azure accepts those, but tools that map blobs to
 * files cannot). Names are case-sensitive and used exactly as given; the storage client escapes
 * them in URLs.
 *
 * @throws InvalidBlobNameError
 */
export function checkBlobName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidBlobNameError(field, 'expected a blob name');
  }
  if (value.length > maxBlobNameLength) {
    throw new InvalidBlobNameError(field, `expected at most ${maxBlobNameLength} characters`);
  }
  if (/[\p{Cc}]/u.test(value)) {
    throw new InvalidBlobNameError(field, 'control characters are not allowed');
  }
  if (/[./]$/.test(value)) {
    throw new InvalidBlobNameError(field, 'a name must not end with "." or "/"');
  }
  if (value.split('/').length > maxPathSegments) {
    throw new InvalidBlobNameError(field, `expected at most ${maxPathSegments} path segments`);
  }
  return value;
}

/**
 * Reads `{ "container", "blob" }` from a request field and checks both names.
 * @param field the request field, for example `source`
 */
export function checkBlobLocation(value: unknown, field: string): BlobLocation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidBlobNameError(field, 'expected an object { "container": ..., "blob": ... }');
  }
  const fields = value as Record<string, unknown>;
  return {
    container: checkContainerName(fields.container, `${field}.container`),
    blob: checkBlobName(fields.blob, `${field}.blob`),
  };
}
