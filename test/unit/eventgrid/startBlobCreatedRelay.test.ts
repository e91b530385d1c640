import assert from 'node:assert/strict';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';
import {
  startBlobCreatedRelay,
  type BlobCreatedRelay,
} from '../../../local/eventgrid/startBlobCreatedRelay.js';

interface Event {
  eventType: string;
  subject: string;
  data: { eTag: string; contentLength: number; url: string };
}

describe('the local stand-in for Event Grid BlobCreated events', () => {
  let dir: string;
  let azurite: AzuriteInstance;
  let relay: BlobCreatedRelay;
  let inbox: ContainerClient;
  let queue: QueueClient;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-relay-'));
    azurite = await startAzurite({ location: join(dir, 'azurite') });
    inbox = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      'inbox',
    );
    await inbox.create();
    queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(
      'events',
    );
    // Polled by hand: the interval never comes round during a test.
    relay = await startBlobCreatedRelay({
      blobConnectionString: azurite.connectionString,
      container: 'inbox',
      queueConnectionString: azurite.connectionString,
      queueName: 'events',
      pollIntervalMs: 3_600_000,
      log: () => undefined,
    });
  });

  after(async () => {
    await relay?.stop();
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Takes every message off the queue and decodes it as Event Grid writes it (base64 JSON). */
  async function drain(): Promise<Event[]> {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    for (const message of receivedMessageItems) {
      await queue.deleteMessage(message.messageId, message.popReceipt);
    }
    return receivedMessageItems.map(
      (message) => JSON.parse(Buffer.from(message.messageText, 'base64').toString()) as Event,
    );
  }

  it('announces a new blob once, with a BlobCreated event in the Event Grid schema', async () => {
    await drain();
    const { etag } = await inbox.getBlockBlobClient('a b.pdf').upload('%PDF-', 5);
    await relay.poll();
    const [event, ...more] = await drain();

    assert.equal(more.length, 0);
    assert.equal(event?.eventType, 'Microsoft.Storage.BlobCreated');
    assert.equal(event?.subject, '/blobServices/default/containers/inbox/blobs/a b.pdf');
    assert.equal(event?.data.eTag, etag);
    assert.equal(event?.data.contentLength, 5);
    assert.match(event?.data.url ?? '', /\/inbox\/a%20b\.pdf$/);

    await relay.poll();
    assert.deepEqual(await drain(), [], 'not announced again');
  });

  it('announces a blob again when it is written again, or removed and dropped anew', async () => {
    await inbox.getBlockBlobClient('again.pdf').upload('one', 3);
    await relay.poll();
    await drain();

    await inbox.getBlockBlobClient('again.pdf').upload('two', 3);
    await relay.poll();
    assert.equal((await drain()).length, 1);

    await inbox.deleteBlob('again.pdf');
    await relay.poll();
    await inbox.getBlockBlobClient('again.pdf').upload('two', 3);
    await relay.poll();
    assert.equal((await drain()).length, 1);
  });
});
