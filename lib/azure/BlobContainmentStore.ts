import type { ContainerClient } from '@azure/storage-blob';

import type { ContainmentRecord } from '../runbooks/ContainmentRecord.js';
import type { ContainmentStore, StoredContainmentRecord } from '../runbooks/ContainmentStore.js';
import { parseContainmentRecord } from '../runbooks/parseContainmentRecord.js';

/** The container incident records live in. */
export const containmentContainer = 'sealops-incidents';

/**
 * A {@link ContainmentStore} in Blob Storage (`AzureWebJobsStorage`; Azurite on the local stack):
 * `<app>/containment.json` is the current record, written with `If-Match` on the ETag read (or
 * `If-None-Match: *` for the first one); `<app>/incidents/<incidentId>.json` keeps each closed
 * one. The container is created on the first write.
 *
 * Needs Storage Blob Data Contributor on the account for the identity that runs the runbooks.
 */
export class BlobContainmentStore implements ContainmentStore {
  readonly #container: ContainerClient;

  constructor(container: ContainerClient) {
    this.#container = container;
  }

  async load(app: string): Promise<StoredContainmentRecord | undefined> {
    const name = currentBlob(app);
    try {
      const response = await this.#container.getBlockBlobClient(name).download();
      const text = await readAll(response.readableStreamBody);
      const location = `${this.#container.containerName}/${name}`;
      return { record: parseContainmentRecord(text, location), etag: response.etag ?? '' };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async save(record: ContainmentRecord, etag: string | undefined): Promise<string | undefined> {
    const conditions = etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag };
    return this.#upload(currentBlob(record.app), record, conditions);
  }

  async archive(record: ContainmentRecord): Promise<void> {
    await this.#upload(`${record.app}/incidents/${record.incidentId}.json`, record, {});
  }

  async #upload(
    name: string,
    record: ContainmentRecord,
    conditions: { ifMatch?: string; ifNoneMatch?: string },
  ): Promise<string | undefined> {
    const body = `${JSON.stringify(record, null, 2)}\n`;
    const upload = () =>
      this.#container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    for (const attempt of [1, 2]) {
      try {
        return (await upload()).etag ?? '';
      } catch (error) {
        const status = statusOf(error);
        // 412: changed since it was read; 409: created by someone else since we saw none.
        if (status === 412 || status === 409) return undefined;
        if (status !== 404 || attempt === 2) throw error;
        await this.#container.createIfNotExists();
      }
    }
    return undefined;
  }
}

function currentBlob(app: string): string {
  return `${app}/containment.json`;
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stream === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
