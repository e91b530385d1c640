import type { ContainerClient } from '@azure/storage-blob';

import { parseDetectionState, emptyDetectionState } from '../detections/DetectionState.js';
import type { DetectionState } from '../detections/DetectionState.js';
import type {
  DetectionStateStore,
  StoredDetectionState,
} from '../detections/DetectionStateStore.js';

/** The container the alert timer keeps its state in. */
export const detectionStateContainer = 'sealops-detections';

/**
 * A {@link DetectionStateStore} in one blob (`sealops-detections/state.json` by default) of the
 * app's storage account (`AzureWebJobsStorage`; Azurite on the local stack). Writes are
 * conditional on the ETag read (`If-Match`), or on the blob not existing yet (`If-None-Match: *`);
 * the container is created on the first write.
 *
 * Needs Storage Blob Data Contributor on the account when the app uses its managed identity.
 */
export class BlobDetectionStateStore implements DetectionStateStore {
  readonly #container: ContainerClient;
  readonly #blobName: string;

  constructor(container: ContainerClient, blobName = 'state.json') {
    this.#container = container;
    this.#blobName = blobName;
  }

  async read(): Promise<StoredDetectionState> {
    const blob = this.#container.getBlockBlobClient(this.#blobName);
    try {
      const response = await blob.download();
      const text = await readAll(response.readableStreamBody);
      return { ...parseDetectionState(text), etag: response.etag };
    } catch (error) {
      if (statusOf(error) === 404) return { state: emptyDetectionState, etag: undefined };
      throw error;
    }
  }

  async write(state: DetectionState, etag: string | undefined): Promise<boolean> {
    try {
      await this.#upload(state, etag);
      return true;
    } catch (error) {
      const status = statusOf(error);
      // 412: changed since it was read; 409: created by someone else since we saw none.
      if (status === 412 || status === 409) return false;
      if (status !== 404) throw error;
    }
    await this.#container.createIfNotExists();
    try {
      await this.#upload(state, etag);
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409) return false;
      throw error;
    }
  }

  async #upload(state: DetectionState, etag: string | undefined): Promise<void> {
    const body = JSON.stringify(state);
    await this.#container.getBlockBlobClient(this.#blobName).upload(body, Buffer.byteLength(body), {
      conditions: etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stream === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
