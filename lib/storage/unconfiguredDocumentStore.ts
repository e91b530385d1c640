import { ConfigurationError } from '../config/ConfigurationError.js';
import type { DocumentStore } from './DocumentStore.js';

/**
 * The store when no storage account is configured. Settings forbid an allowlist without an
 * account, so the allowlist refuses every storage request before this is reached; should it be
 * reached anyway, it names the missing setting rather than failing obscurely.
 */
export function unconfiguredDocumentStore(): DocumentStore {
  const refusal = () =>
    new ConfigurationError(
      'SEAL_STORAGE_CONNECTION',
      'missing (or set SEAL_STORAGE_ACCOUNT_URL), so storage mode has no account',
    );
  return {
    find: () => Promise.reject(refusal()),
    open: () => {
      throw refusal();
    },
    createWriter: () => Promise.reject(refusal()),
    lease: () => Promise.reject(refusal()),
    delete: () => Promise.reject(refusal()),
  };
}
