import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import { blobCreatedEvent } from './blobCreatedEvent.js';

/** Options of {@link startBlobCreatedRelay}. */
export interface BlobCreatedRelayOptions {
  /** Connection string of the account whose container is watched. */
  readonly blobConnectionString: string;
  readonly container: string;
  /** Connection string of the account holding the queue. */
  readonly queueConnectionString: string;
  readonly queueName: string;
  /** Time between two listings of the container. @default 1000 */
  readonly pollIntervalMs?: number;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** A running relay. */
export interface BlobCreatedRelay {
  /** Lists the container once now and enqueues what is new; resolves when done. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stand-in for an Event Grid subscription that delivers a container's `BlobCreated`
 * events to a storage queue: it lists the container every `pollIntervalMs` and enqueues one event
 * (Event Grid schema, base64 as Event Grid writes queue messages) for each blob it has not seen
 * with that ETag, so a blob written again gets a new event, as on Azure.
 *
 * Like Event Grid, it delivers at least once: after a restart it announces every blob still in
 * the container again. The drop folder is built to take that.
 */
export async function startBlobCreatedRelay(
  options: BlobCreatedRelayOptions,
): Promise<BlobCreatedRelay> {
  const log = options.log ?? ((line: string) => console.log(line));
  const blobs = BlobServiceClient.fromConnectionString(options.blobConnectionString);
  const container = blobs.getContainerClient(options.container);
  const queue = QueueServiceClient.fromConnectionString(
    options.queueConnectionString,
  ).getQueueClient(options.queueName);
  await queue.createIfNotExists();

  const seen = new Map<string, string>();
  const stopping = new AbortController();
  let current: Promise<void> = Promise.resolve();
  const poll = () => (current = current.then(() => relayNew(container, queue, seen, log)));

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await poll().catch((error: unknown) =>
        log(`[event-grid] listing ${options.container} failed: ${String(error)}`),
      );
      await sleep(options.pollIntervalMs ?? 1000, undefined, { signal: stopping.signal }).catch(
        () => undefined,
      );
    }
  })();

  return {
    poll,
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}

async function relayNew(
  container: ContainerClient,
  queue: QueueClient,
  seen: Map<string, string>,
  log: (line: string) => void,
): Promise<void> {
  if (!(await container.exists())) return;
  const listed = new Set<string>();
  for await (const blob of container.listBlobsFlat()) {
    listed.add(blob.name);
    const etag = blob.properties.etag;
    if (seen.get(blob.name) === etag) continue;
    const event = blobCreatedEvent({
      accountName: container.accountName,
      container: container.containerName,
      name: blob.name,
      // Listings give the ETag bare; Event Grid quotes it, as the blob's ETag header does.
      etag: etag.startsWith('"') ? etag : `"${etag}"`,
      contentLength: blob.properties.contentLength ?? 0,
      ...(blob.properties.contentType ? { contentType: blob.properties.contentType } : {}),
      url: container.getBlobClient(blob.name).url,
    });
    await queue.sendMessage(Buffer.from(JSON.stringify(event)).toString('base64'));
    seen.set(blob.name, etag);
    log(`[event-grid] BlobCreated ${container.containerName}/${blob.name}`);
  }
  // A name that disappeared may come back as a new blob: forget it.
  for (const name of seen.keys()) if (!listed.has(name)) seen.delete(name);
}
