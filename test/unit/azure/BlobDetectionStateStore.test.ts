import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import {
  BlobDetectionStateStore,
  detectionStateContainer,
} from '../../../lib/azure/BlobDetectionStateStore.js';
import {
  emptyDetectionState,
  type DetectionState,
} from '../../../lib/detections/DetectionState.js';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';

const stateAt = (at: string): DetectionState => ({
  ...emptyDetectionState,
  runs: { 'failed-auth-burst': { at, outcome: 'success' } },
});

describe('BlobDetectionStateStore on Azurite', () => {
  let dir: string;
  let azurite: AzuriteInstance;
  let service: BlobServiceClient;
  let runs = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-state-'));
    azurite = await startAzurite({ location: dir });
    service = BlobServiceClient.fromConnectionString(azurite.connectionString);
  });

  after(async () => {
    await azurite?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A store over a container of its own, so the cases do not share state. */
  function freshStore(): { store: BlobDetectionStateStore; container: ContainerClient } {
    const container = service.getContainerClient(`${detectionStateContainer}-${++runs}`);
    return { store: new BlobDetectionStateStore(container), container };
  }

  it('reads the empty state, with no ETag, before anything was written', async () => {
    const { store } = freshStore();
    assert.deepEqual(await store.read(), { state: emptyDetectionState, etag: undefined });
  });

  it('creates the container on the first write and reads back what it wrote', async () => {
    const { store, container } = freshStore();

    assert.equal(await store.write(stateAt('2025-03-01T12:00:00.000Z'), undefined), true);
    const stored = await store.read();

    assert.equal(await container.exists(), true);
    assert.deepEqual(stored.state, stateAt('2025-03-01T12:00:00.000Z'));
    assert.match(stored.etag ?? '', /^"?0x[0-9A-F]+"?$/);
  });

  it('refuses a write whose ETag is no longer current, and a first write when one exists', async () => {
    const { store } = freshStore();
    await store.write(stateAt('2025-03-01T12:00:00.000Z'), undefined);
    const read = await store.read();
    assert.equal(await store.write(stateAt('2025-03-01T12:01:00.000Z'), read.etag), true);

    assert.equal(await store.write(stateAt('2025-03-01T12:02:00.000Z'), read.etag), false);
    assert.equal(await store.write(stateAt('2025-03-01T12:02:00.000Z'), undefined), false);
    assert.deepEqual((await store.read()).state, stateAt('2025-03-01T12:01:00.000Z'));
  });

  it('reads an unreadable document as the empty state and says why, so the next write repairs it', async () => {
    const { store, container } = freshStore();
    await container.create();
    await container.getBlockBlobClient('state.json').upload('{"version": 7}', 14);

    const read = await store.read();

    assert.deepEqual(read.state, emptyDetectionState);
    assert.equal(read.problem, 'the stored state has an unknown shape');
    assert.equal(await store.write(stateAt('2025-03-01T12:00:00.000Z'), read.etag), true);
  });
});
