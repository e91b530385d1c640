import { randomUUID } from 'node:crypto';

/** What the relay knows about a blob it saw appear. */
export interface SeenBlob {
  readonly accountName: string;
  readonly container: string;
  readonly name: string;
  readonly etag: string;
  readonly contentLength: number;
  readonly contentType?: string;
  readonly url: string;
}

/**
 * A `Microsoft.Storage.BlobCreated` event in the Event Grid schema, shaped as Event Grid delivers
 * it to a storage queue. Fields Event Grid sets from the storage request it saw (`api`,
 * `clientRequestId`, `requestId`, `sequencer`) are stand-ins: a poll cannot know them.
 */
export function blobCreatedEvent(blob: SeenBlob, eventTime = new Date()): object {
  return {
    topic:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/' +
      `Microsoft.Storage/storageAccounts/${blob.accountName}`,
    subject: `/blobServices/default/containers/${blob.container}/blobs/${blob.name}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    id: randomUUID(),
    eventTime: eventTime.toISOString(),
    data: {
      api: 'PutBlockList',
      clientRequestId: randomUUID(),
      requestId: randomUUID(),
      eTag: blob.etag,
      contentType: blob.contentType ?? 'application/octet-stream',
      contentLength: blob.contentLength,
      blobType: 'BlockBlob',
      url: blob.url,
      sequencer: eventTime.getTime().toString(16).padStart(32, '0'),
      storageDiagnostics: { batchId: randomUUID() },
    },
    dataVersion: '',
    metadataVersion: '1',
  };
}
