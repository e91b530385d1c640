import { ByteRangeHasher } from '../sealing/ByteRangeHasher.js';
import { embedCms } from '../sealing/embedCms.js';
import { planIncrementalSeal } from '../sealing/planIncrementalSeal.js';
import type { DigestSigner } from '../signing/DigestSigner.js';
import { describeLocation, sameLocation } from './BlobLocation.js';
import type { ContainerAllowlist } from './ContainerAllowlist.js';
import type { BlobVersion, CopyMethod, DocumentStore } from './DocumentStore.js';
import { DestinationExistsError } from './errors/DestinationExistsError.js';
import { SourceChangedError } from './errors/SourceChangedError.js';
import { SourceNotFoundError } from './errors/SourceNotFoundError.js';
import type { StoredSealRequest } from './StoredSealRequest.js';
import { bareEtag, toMetadataValue } from './toMetadataValue.js';

/** What storage mode needs from the outside world. */
export interface StoredSealDependencies {
  readonly store: DocumentStore;
  readonly signer: DigestSigner;
  readonly allowlist: ContainerAllowlist;
}

/** A committed storage-mode seal. */
export interface StoredSeal {
  /** The version of the source that was sealed. */
  readonly source: BlobVersion;
  /** The sealed blob as committed: its ETag and size. */
  readonly destination: BlobVersion;
  readonly keyId: string;
  readonly fieldName: string;
  /** Whether the original bytes were copied by the service or streamed through this process. */
  readonly copyMethod: CopyMethod;
}

/** Metadata names the sealed blob carries, so that a seal can be traced and recognised. */
export const sealMetadata = {
  keyId: 'sealkeyid',
  field: 'sealfield',
  sourceName: 'sealsource',
  sourceEtag: 'sealsourceetag',
} as const;

/**
 * Seals a PDF held in Blob Storage into another blob (or the same one, with `overwrite`), in
 * memory that does not grow with the document:
 *
 * 1. checks both containers against the allowlist and pins the source's ETag;
 * 2. plans the incremental update from ranged reads of the source's tail;
 * 3. copies the source into the destination's staged blocks (on the service where it can, or
 *    into a staging blob, see `BlobWriter`), while the same single pass over the source's bytes
 *    feeds the digest;
 * 4. has the signer sign the digest and stages the completed update as the last block;
 * 5. checks that the source still has the pinned ETag, and commits the block list on condition
 *    that the destination is still as it was found (absent, or the version being replaced).
 *
 * Until the commit nothing is visible; a failure at any step leaves the destination as it was,
 * and the writer is disposed of however the seal ends, so no staging blob outlives it.
 *
 * @param onSourcePinned called once the source's version is known, so that its size can be
 *   reported even when sealing then fails
 * @throws ContainerNotAllowedError, SourceNotFoundError, SourceChangedError,
 *   DestinationExistsError, DestinationChangedError, DestinationContainerNotFoundError,
 *   StorageUnavailableError, StorageAccessDeniedError, the sealing errors (NOT_A_PDF,
 *   PDF_DAMAGED, ...) and the signing errors
 */
export async function sealStoredPdf(
  request: StoredSealRequest,
  { store, signer, allowlist }: StoredSealDependencies,
  onSourcePinned?: (source: BlobVersion) => void,
): Promise<StoredSeal> {
  allowlist.check(request.source, 'source');
  allowlist.check(request.destination, 'destination');

  const source = await store.find(request.source, 'source');
  if (!source) throw new SourceNotFoundError(request.source);
  onSourcePinned?.(source);
  if (request.sourceEtag !== undefined && bareEtag(request.sourceEtag) !== bareEtag(source.etag)) {
    throw new SourceChangedError(request.source, 'before');
  }
  const inPlace = sameLocation(request.source, request.destination);
  const existing = inPlace ? source : await store.find(request.destination, 'destination');
  if (existing && !request.overwrite) throw new DestinationExistsError(request.destination);

  const plan = await planIncrementalSeal(store.open(source), request.seal);
  const hasher = new ByteRangeHasher(plan);
  const writer = await store.createWriter(
    request.destination,
    existing ? { replacing: existing } : {},
  );
  try {
    const copyMethod = await writer.copy(source, (chunk) => hasher.update(chunk));
    hasher.update(plan.update);
    const signature = await signer.sign(hasher.digest(), {
      timestamp: request.seal.timestamp ?? false,
    });
    await writer.append(embedCms(plan, signature.cms));

    // The reads were pinned to the ETag, but a service-side copy cannot be: an unchanged ETag
    // after the last byte was copied proves that every byte came from the pinned version.
    const now = await store.find(request.source, 'source');
    if (now?.etag !== source.etag) throw new SourceChangedError(request.source, 'during');

    const destination = await writer.commit(
      existing ? { kind: 'unchanged', etag: existing.etag } : { kind: 'absent' },
      {
        contentType: 'application/pdf',
        metadata: {
          ...source.metadata,
          [sealMetadata.keyId]: toMetadataValue(signature.keyId),
          [sealMetadata.field]: toMetadataValue(plan.fieldName),
          [sealMetadata.sourceName]: toMetadataValue(describeLocation(request.source)),
          [sealMetadata.sourceEtag]: bareEtag(source.etag),
          ...request.metadata,
        },
      },
    );
    return { source, destination, keyId: signature.keyId, fieldName: plan.fieldName, copyMethod };
  } finally {
    await writer.dispose();
  }
}
