import type { DropFolderSettings } from '../../config/StorageSettings.js';
import { SealOpsError } from '../../errors/SealOpsError.js';
import type { SealSubFilter } from '../../sealing/SealOptions.js';
import type { TelemetrySink } from '../../telemetry/TelemetrySink.js';
import { describeLocation, type BlobLocation } from '../BlobLocation.js';
import type { BlobLease, BlobVersion, DocumentStore } from '../DocumentStore.js';
import { runStorageSeal, type SealLog } from '../runStorageSeal.js';
import { sealMetadata, type StoredSealDependencies } from '../sealStoredPdf.js';
import { bareEtag, toMetadataValue } from '../toMetadataValue.js';

/** What the drop folder needs. */
export interface DropFolderDependencies extends StoredSealDependencies {
  readonly telemetry: TelemetrySink;
  readonly folder: DropFolderSettings;
  /** The seal's `/SubFilter` (the `SEAL_SUBFILTER` setting). */
  readonly subFilter: SealSubFilter;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** How long the inbox blob's lease lasts; it is renewed every third of it. @default 60 */
  readonly leaseSeconds?: number;
}

/** The queue delivery this run handles. */
export interface DropInvocation {
  readonly invocationId: string;
  /** 1 on the first delivery of the message. */
  readonly dequeueCount: number;
  /** The delivery after which the host gives up on the message. */
  readonly maxDequeueCount: number;
  readonly log: SealLog;
}

/** What became of a dropped blob. */
export type DropOutcome =
  /** Sealed into the outbox, and removed from the inbox. */
  | 'sealed'
  /** An earlier delivery had sealed it but not removed it; now it is removed. */
  | 'already-sealed'
  /** It could not be sealed; it is in the failed container with the reason in its metadata. */
  | 'failed'
  /** It is no longer in the inbox: an earlier delivery handled it. */
  | 'gone'
  /** Another worker holds it now; that worker's delivery finishes the job. */
  | 'busy'
  /** The event is about a blob outside the inbox. */
  | 'ignored';

/** Metadata names of a blob moved to the failed container. */
export const failureMetadata = {
  code: 'sealerrorcode',
  message: 'sealerror',
  failedAt: 'sealfailedat',
  invocationId: 'sealinvocationid',
  attempts: 'sealattempts',
} as const;

/**
 * Handles one delivery of a "blob created in the inbox" event: seals the blob into the outbox
 * under the same name and deletes it from the inbox; or, when it cannot be sealed, moves it to
 * the failed container with the error code and message in its metadata.
 *
 * A blob is sealed once however often its event is delivered: the worker holds a lease on the
 * inbox blob while it works (a second delivery finds it leased and leaves it), a delivery after
 * the blob was removed finds nothing, and a sealed blob in the outbox records the ETag of the
 * inbox blob it came from, so a delivery after a crash between sealing and removing only removes.
 *
 * Failures that may pass (storage or signing service unavailable, a source that changed) are
 * thrown, so that the queue delivers the message again, until the last delivery, which moves the
 * blob to the failed container instead of leaving it in the inbox.
 *
 * @throws the transient failure, for the queue to retry
 */
export async function processDroppedBlob(
  blob: BlobLocation,
  dependencies: DropFolderDependencies,
  invocation: DropInvocation,
): Promise<DropOutcome> {
  const { store, folder, leaseSeconds = 60 } = dependencies;
  const { log } = invocation;
  if (blob.container !== folder.inbox) {
    log.warn(`Ignored an event for ${describeLocation(blob)}: not in the inbox "${folder.inbox}".`);
    return 'ignored';
  }
  const attempt = await store.lease(blob, leaseSeconds);
  if (attempt.outcome === 'missing') {
    log.info(
      `${describeLocation(blob)} is no longer in the inbox: handled by an earlier delivery.`,
    );
    return 'gone';
  }
  if (attempt.outcome === 'taken') {
    log.info(`${describeLocation(blob)} is leased by another worker, which is handling it.`);
    return 'busy';
  }

  const { lease, version } = attempt;
  const renewal = setInterval(
    () => {
      lease
        .renew()
        .catch((error: unknown) => log.warn(`Renewing the inbox lease failed: ${String(error)}`));
    },
    (leaseSeconds * 1000) / 3,
  );
  try {
    return await sealOrSetAside(version, lease, dependencies, invocation);
  } finally {
    clearInterval(renewal);
    // After the blob was deleted the lease is gone with it; releasing then fails harmlessly.
    await lease.release().catch(() => undefined);
  }
}

async function sealOrSetAside(
  source: BlobVersion,
  lease: BlobLease,
  dependencies: DropFolderDependencies,
  invocation: DropInvocation,
): Promise<DropOutcome> {
  const { store, folder, clock = () => new Date() } = dependencies;
  const inbox = source.location;
  const outbox = { container: folder.outbox, blob: inbox.blob };

  const alreadySealed = async (): Promise<DropOutcome> => {
    await store.delete(inbox, lease.leaseId);
    invocation.log.info(
      `${describeLocation(inbox)} was already sealed into ${describeLocation(outbox)}; ` +
        'removed it from the inbox.',
    );
    return 'already-sealed';
  };
  if (await sealedFrom(source, outbox, store)) return alreadySealed();

  try {
    await runStorageSeal(
      {
        source: inbox,
        sourceEtag: source.etag,
        destination: outbox,
        seal: { subFilter: dependencies.subFilter, signingTime: clock() },
      },
      dependencies,
      { invocationId: invocation.invocationId, trigger: 'drop-folder', log: invocation.log },
    );
  } catch (error) {
    // A worker whose lease had lapsed may have sealed it meanwhile: that is no failure.
    const exists = error instanceof SealOpsError && error.code === 'DESTINATION_EXISTS';
    if (exists && (await sealedFrom(source, outbox, store))) return alreadySealed();
    const lastDelivery = invocation.dequeueCount >= invocation.maxDequeueCount;
    if (mayPass(error) && !lastDelivery) throw error;
    await setAside(source, lease, error, dependencies, invocation);
    return 'failed';
  }
  await store.delete(inbox, lease.leaseId);
  return 'sealed';
}

/** Copies the blob to the failed container, the reason in its metadata, and removes it. */
async function setAside(
  source: BlobVersion,
  lease: BlobLease,
  error: unknown,
  { store, folder, clock = () => new Date() }: DropFolderDependencies,
  invocation: DropInvocation,
): Promise<void> {
  const failed = { container: folder.failed, blob: source.location.blob };
  const [code, message] =
    error instanceof SealOpsError
      ? [error.code, error.message]
      : [
          'INTERNAL_ERROR',
          `Sealing failed unexpectedly; quote invocation ${invocation.invocationId} to an operator.`,
        ];
  const existing = await store.find(failed, 'destination');
  const writer = await store.createWriter(failed, existing ? { replacing: existing } : {});
  await writer.copy(source);
  await writer.commit(existing ? { kind: 'unchanged', etag: existing.etag } : { kind: 'absent' }, {
    contentType: source.contentType ?? 'application/octet-stream',
    metadata: {
      ...source.metadata,
      [failureMetadata.code]: code,
      [failureMetadata.message]: toMetadataValue(message),
      [failureMetadata.failedAt]: clock().toISOString(),
      [failureMetadata.invocationId]: invocation.invocationId,
      [failureMetadata.attempts]: String(invocation.dequeueCount),
    },
  });
  await store.delete(source.location, lease.leaseId);
  invocation.log.warn(
    `Moved ${describeLocation(source.location)} to ${describeLocation(failed)}: ${code}.`,
  );
}

/** Whether `outbox` holds the seal of exactly this version of the inbox blob. */
async function sealedFrom(
  source: BlobVersion,
  outbox: BlobLocation,
  store: DocumentStore,
): Promise<boolean> {
  const sealed = await store.find(outbox, 'destination');
  return (
    sealed?.metadata[sealMetadata.sourceEtag] === bareEtag(source.etag) &&
    sealed.metadata[sealMetadata.sourceName] === toMetadataValue(describeLocation(source.location))
  );
}

/**
 * Whether trying again later may succeed: a service that was unavailable or slow (5xx), or a
 * source or destination that changed under the seal. A document that is not a sealable PDF, or
 * a name already taken in the outbox, fails the same way every time.
 */
function mayPass(error: unknown): boolean {
  if (!(error instanceof SealOpsError)) return true;
  return (
    error.httpStatus >= 500 ||
    ['SOURCE_CHANGED', 'DESTINATION_CHANGED', 'DESTINATION_LEASED'].includes(error.code)
  );
}
