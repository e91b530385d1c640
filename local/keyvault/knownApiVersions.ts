/**
 * The api-versions `@azure/keyvault-secrets` 4.12 can send (`serviceVersion`), oldest first. The
 * secrets wire contract the local vault implements is the same for all of them.
 */
export const KNOWN_API_VERSIONS: readonly string[] = [
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6',
  '2025-07-01',
  '2026-04-01',
];

/** The newest api-version, used in `nextLink` when a request carried none. */
export const LATEST_API_VERSION = '2026-04-01';
