import assert from 'node:assert/strict';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';
import { LocalFunctionsHost } from '../../../local/host/LocalFunctionsHost.js';
import type { Delivery } from '../../support/queueFixtureApp.js';
import { eventually } from '../../support/storageRequests.js';

const appEntry = fileURLToPath(new URL('../../support/queueFixtureApp.js', import.meta.url));
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('queue triggers on the local Functions host', () => {
  let dir: string;
  let azurite: AzuriteInstance;
  let host: LocalFunctionsHost;
  let queue: QueueClient;
  let poison: QueueClient;
  let deliveries: Delivery[];
  const logs: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-queue-host-'));
    azurite = await startAzurite({ location: join(dir, 'azurite') });
    process.env.FIXTURE_STORAGE = azurite.connectionString;
    process.env.FIXTURE_QUEUE = 'work-items';
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    queue = service.getQueueClient('work-items');
    poison = service.getQueueClient('work-items-poison');
    await queue.create();
    host = await LocalFunctionsHost.start({
      appEntry,
      stateFile: join(dir, 'state.json'),
      port: 0,
      timers: false,
      queues: { minPollingIntervalMs: 20, maxPollingIntervalMs: 100 },
      log: (line) => logs.push(line),
    });
    // Imported only now: the app must first be loaded by the host, which registers its functions.
    ({ deliveries } = await import('../../support/queueFixtureApp.js'));
  });

  after(async () => {
    await host?.close();
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const deliveriesOf = (predicate: (input: unknown) => boolean) =>
    deliveries.filter((delivery) => predicate(delivery.input));
  const queueIsEmpty = async (client: QueueClient) =>
    (await client.getProperties()).approximateMessagesCount === 0;

  it('registers a queue trigger with the metadata @azure/functions sends the real host', () => {
    const work = host.registrations.find((r) => r.name === 'work');
    assert.deepEqual(
      {
        type: work?.trigger.type,
        queueName: work?.trigger.queueName,
        connection: work?.trigger.connection,
      },
      { type: 'queueTrigger', queueName: '%FIXTURE_QUEUE%', connection: 'FIXTURE_STORAGE' },
    );
  });

  it('calls the function with a base64 JSON message parsed, and deletes it when it succeeds', async () => {
    const sent = await queue.sendMessage(base64(JSON.stringify({ job: 1 })));
    const [delivery] = await eventually(() => {
      const found = deliveriesOf((input) => (input as { job?: number }).job === 1);
      return found.length > 0 ? found : undefined;
    }, 'the delivery');
    assert.deepEqual(delivery?.input, { job: 1 });
    assert.equal(delivery?.triggerMetadata?.id, sent.messageId);
    assert.equal(delivery?.triggerMetadata?.dequeueCount, 1);
    assert.equal(delivery?.triggerMetadata?.queueTrigger, '{"job":1}');
    await eventually(async () => ((await queueIsEmpty(queue)) ? true : undefined), 'the deletion');
  });

  it('passes a message that is not JSON as text', async () => {
    await queue.sendMessage(base64('plain words'));
    await eventually(
      () => (deliveriesOf((input) => input === 'plain words').length ? true : undefined),
      'the delivery',
    );
  });

  it('delivers a failing message five times, then moves it to the poison queue', async () => {
    const text = base64(JSON.stringify({ fail: 'always' }));
    await queue.sendMessage(text);
    const poisoned = await eventually(async () => {
      const peeked = await poison.peekMessages().catch(() => undefined);
      return peeked?.peekedMessageItems.length ? peeked.peekedMessageItems : undefined;
    }, 'the poison message');

    assert.equal(poisoned[0]?.messageText, text);
    const counts = deliveriesOf((input) => (input as { fail?: string }).fail === 'always').map(
      (delivery) => delivery.triggerMetadata?.dequeueCount,
    );
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
    assert.ok(await queueIsEmpty(queue));
    assert.ok(logs.some((line) => /moved to work-items-poison after 5 deliveries/.test(line)));
  });
});
