import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBlobCreatedEvent } from '../../../lib/storage/dropFolder/parseBlobCreatedEvent.js';

const event = {
  topic: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/docs',
  subject: '/blobServices/default/containers/inbox/blobs/2024/scan 1.pdf',
  eventType: 'Microsoft.Storage.BlobCreated',
  id: 'b1d7c3e2-0001',
  data: {
    api: 'PutBlockList',
    eTag: '0x8DC0123456789AB',
    url: 'https://docs.blob.core.windows.net/inbox/2024/scan%201.pdf',
  },
  dataVersion: '',
  metadataVersion: '1',
  eventTime: '2024-06-01T12:00:00Z',
};

describe('parseBlobCreatedEvent', () => {
  it('reads the blob from an Event Grid BlobCreated event, names unescaped', () => {
    assert.deepEqual(parseBlobCreatedEvent(event), {
      id: 'b1d7c3e2-0001',
      blob: { container: 'inbox', blob: '2024/scan 1.pdf' },
    });
  });

  it('reads the event from JSON text and from the CloudEvents schema', () => {
    assert.deepEqual(parseBlobCreatedEvent(JSON.stringify(event))?.blob.blob, '2024/scan 1.pdf');
    const { eventType, ...rest } = event;
    assert.equal(parseBlobCreatedEvent({ ...rest, type: eventType })?.blob.container, 'inbox');
  });

  it('gives nothing for other event types', () => {
    assert.equal(
      parseBlobCreatedEvent({ ...event, eventType: 'Microsoft.Storage.BlobDeleted' }),
      undefined,
    );
  });

  it('refuses a message that is not an Event Grid blob event with INVALID_DROP_EVENT', () => {
    assert.throws(() => parseBlobCreatedEvent('not json'), {
      code: 'INVALID_DROP_EVENT',
      message:
        'The drop-folder message is not a readable Event Grid blob event: it is not JSON; check ' +
        'the Event Grid subscription that feeds the queue (Event Grid schema, BlobCreated only).',
    });
    assert.throws(() => parseBlobCreatedEvent({ ...event, subject: '/containers/inbox' }), {
      code: 'INVALID_DROP_EVENT',
      message: /its subject does not name a blob of a blob container/,
    });
    assert.throws(() => parseBlobCreatedEvent([event, event]), { message: /not one JSON object/ });
  });
});
