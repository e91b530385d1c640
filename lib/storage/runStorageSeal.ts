import { SealOpsError } from '../errors/SealOpsError.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import { describeLocation } from './BlobLocation.js';
import { ContainerNotAllowedError } from './errors/ContainerNotAllowedError.js';
import { sealStoredPdf, type StoredSeal, type StoredSealDependencies } from './sealStoredPdf.js';
import type { StoredSealRequest } from './StoredSealRequest.js';

/** Where a storage-mode seal logs: an invocation context fits. */
export interface SealLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Who asked for the seal, for the log and the `SealRequest` event. */
export interface StorageSealInvocation {
  readonly invocationId: string;
  /** What started the seal: an HTTP request or a blob dropped in the inbox. */
  readonly trigger: 'http' | 'drop-folder';
  readonly clientIp?: string;
  /** `performance.now()` when the invocation began. @default when this is called */
  readonly startedAt?: number;
  readonly log: SealLog;
}

/** A storage-mode seal that took `durationMs`. */
export type ReportedStoredSeal = StoredSeal & { readonly durationMs: number };

/**
 * Runs one storage-mode seal and reports it, whatever the outcome: one `SealRequest` event with
 * mode `storage` (size, duration, key ID or error code) and one log line. HTTP requests and the
 * drop folder both seal through here, so the large-file detections see every storage seal.
 *
 * @param request the checked request, or a function that checks it: a request refused while
 *   being checked is reported too
 * @throws what {@link sealStoredPdf} throws, after reporting it
 */
export async function runStorageSeal(
  request: StoredSealRequest | (() => StoredSealRequest),
  dependencies: StoredSealDependencies & { readonly telemetry: TelemetrySink },
  invocation: StorageSealInvocation,
): Promise<ReportedStoredSeal> {
  const started = invocation.startedAt ?? performance.now();
  const common = {
    name: 'SealRequest',
    mode: 'storage',
    trigger: invocation.trigger,
    invocationId: invocation.invocationId,
    ...(invocation.clientIp ? { clientIp: invocation.clientIp } : {}),
  } as const;
  let sizeBytes: number | undefined;
  try {
    const checked = typeof request === 'function' ? request() : request;
    const seal = await sealStoredPdf(checked, dependencies, (source) => (sizeBytes = source.size));
    const durationMs = Math.round(performance.now() - started);
    invocation.log.info(
      `Sealed ${describeLocation(seal.source.location)} (${seal.source.size} bytes) into ` +
        `${describeLocation(seal.destination.location)} with key ${seal.keyId}, field ` +
        `${seal.fieldName}, ${seal.copyMethod} copy, in ${durationMs} ms.`,
    );
    dependencies.telemetry.emit({
      ...common,
      outcome: 'success',
      statusCode: 200,
      sizeBytes: seal.source.size,
      durationMs,
      keyId: seal.keyId,
      copy: seal.copyMethod,
    });
    return { ...seal, durationMs };
  } catch (error) {
    const known = error instanceof SealOpsError;
    const status = known ? error.httpStatus : 500;
    const errorCode = known ? error.code : 'INTERNAL_ERROR';
    if (known)
      invocation.log.warn(`Storage seal refused with ${status} ${errorCode}: ${error.message}`);
    else invocation.log.error('Storage seal failed unexpectedly:', error);
    dependencies.telemetry.emit({
      ...common,
      outcome: 'failure',
      statusCode: status,
      errorCode,
      ...(sizeBytes === undefined ? {} : { sizeBytes }),
      durationMs: Math.round(performance.now() - started),
    });
    if (error instanceof ContainerNotAllowedError) {
      dependencies.telemetry.emit({
        name: 'ApiAuthFailure',
        reason: 'container_not_allowed',
        statusCode: status,
        functionName: invocation.trigger === 'http' ? 'seal-pdf' : 'seal-drop-folder',
        ...(invocation.clientIp ? { clientIp: invocation.clientIp } : {}),
      });
    }
    throw error;
  }
}
