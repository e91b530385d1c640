import type { BlobClient } from '@azure/storage-blob';
import type { PdfSource } from '../sealing/PdfSource.js';
import type { BlobVersion } from '../storage/DocumentStore.js';
import { SourceChangedError } from '../storage/errors/SourceChangedError.js';
import { storageStatus, toStorageError } from './toStorageError.js';

/**
 * A PdfSource over one version of a blob: each read is a ranged GET on condition that the blob
 * still has `version`'s ETag, so a plan can never mix bytes of two versions. Planning wraps it
 * in a block cache, so a seal costs a handful of such reads.
 */
export function blobPdfSource(client: BlobClient, version: BlobVersion): PdfSource {
  return {
    size: version.size,
    read: async (position, length) => {
      const count = Math.min(length, version.size - position);
      if (count <= 0) return new Uint8Array(0);
      try {
        const response = await client.download(position, count, {
          conditions: { ifMatch: version.etag },
        });
        return await readExactly(response.readableStreamBody, count);
      } catch (error) {
        throw pinnedReadError(error, version);
      }
    },
  };
}

/**
 * What a failed read of a pinned version means: 412 (another ETag) and 404 (deleted) both say
 * the version is gone; anything else is the store's trouble.
 */
export function pinnedReadError(error: unknown, version: BlobVersion): unknown {
  const status = storageStatus(error);
  if (status === 412 || status === 404) return new SourceChangedError(version.location, 'during');
  return toStorageError(error, `reading the source blob`);
}

async function readExactly(
  body: NodeJS.ReadableStream | undefined,
  length: number,
): Promise<Uint8Array> {
  const bytes = Buffer.allocUnsafe(length);
  let received = 0;
  for await (const chunk of (body ?? []) as AsyncIterable<Buffer>) {
    const taken = Math.min(chunk.byteLength, length - received);
    chunk.copy(bytes, received, 0, taken);
    received += taken;
  }
  return bytes.subarray(0, received);
}
