import { SealOpsError } from '../errors/SealOpsError.js';

/** A failure as state and events record it: a safe one-sentence reason and a stable code. */
export interface FailureDescription {
  readonly reason: string;
  readonly code?: string;
}

/**
 * The reason recorded for a failed step. Our own errors carry messages built from typed, safe
 * arguments; any other error is named by its type and first line only, cut short, since an SDK
 * message may quote a URL or a request it was given.
 */
export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof SealOpsError) return { reason: error.message, code: error.code };
  if (error instanceof Error) {
    const firstLine = (error.message.split('\n')[0] ?? '').slice(0, 200);
    return { reason: `unexpected ${error.name}: ${firstLine}` };
  }
  return { reason: `unexpected failure: ${String(error).slice(0, 200)}` };
}
