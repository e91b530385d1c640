import { SealOpsError } from '../../../lib/errors/SealOpsError.js';

/**
 * A failure the local Key Vault answers with, rendered as the service renders it:
 * `{"error": {"code", "message", "innererror"?: {"code"}}}` with `httpStatus`.
 *
 * `code`, `innerCode` and the messages are the service's own, so that code written against the
 * local vault matches on what Azure really sends.
 */
export abstract class LocalVaultError extends SealOpsError {
  /** The service's `innererror.code`, where the service sends one. */
  readonly innerCode: string | undefined = undefined;

  /** Response headers the service adds to this failure (a challenge, a retry hint). */
  get headers(): Readonly<Record<string, string>> {
    return {};
  }
}
