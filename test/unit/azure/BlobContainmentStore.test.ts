import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';

import { BlobContainmentStore } from '../../../lib/azure/BlobContainmentStore.js';
import { ContainmentRecordInvalidError } from '../../../lib/runbooks/errors/ContainmentRecordInvalidError.js';
import type { ContainmentRecord } from '../../../lib/runbooks/ContainmentRecord.js';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';

let dir: string;
let azurite: AzuriteInstance;
let container: ContainerClient;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealops-containment-'));
  azurite = await startAzurite({ location: dir });
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
    'sealops-incidents',
  );
});

after(async () => {
  await azurite?.stop();
  await rm(dir, { recursive: true, force: true });
});

const record = (app: string, status: 'open' | 'closed' = 'open'): ContainmentRecord => ({
  schema: 1,
  app,
  incidentId: 'inc-20250301T031500Z',
  status,
  openedAt: '2025-03-01T03:15:00.000Z',
  openedBy: 'alice',
  actions: [],
});

describe('BlobContainmentStore on Azurite', () => {
  it('has no record for an app before the first write, even without the container', async () => {
    assert.equal(await new BlobContainmentStore(container).load('func-none'), undefined);
  });

  it('creates the container on the first write, then writes only over the ETag it read', async () => {
    const store = new BlobContainmentStore(container);

    const first = await store.save(record('func-a'), undefined);
    assert.ok(first);
    assert.equal(await store.save(record('func-a'), undefined), undefined);
    const second = await store.save({ ...record('func-a'), reason: 'leaked key' }, first);
    assert.ok(second);
    assert.equal(await store.save(record('func-a'), first), undefined);

    assert.deepEqual(await store.load('func-a'), {
      record: { ...record('func-a'), reason: 'leaked key' },
      etag: second,
    });
  });

  it('archives a closed record under its incident ID, and archiving again is harmless', async () => {
    const store = new BlobContainmentStore(container);

    await store.archive(record('func-b', 'closed'));
    await store.archive(record('func-b', 'closed'));

    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: 'func-b/' })) names.push(blob.name);
    assert.deepEqual(names, ['func-b/incidents/inc-20250301T031500Z.json']);
  });

  it('refuses a record that is not one, naming where it is', async () => {
    await container.getBlockBlobClient('func-c/containment.json').upload('{"schema":2}', 12);

    await assert.rejects(new BlobContainmentStore(container).load('func-c'), (error: unknown) => {
      assert.ok(error instanceof ContainmentRecordInvalidError);
      assert.equal(
        error.message,
        'The containment record at sealops-incidents/func-c/containment.json is not valid (schema is not 1); ' +
          "fix or move it aside, then run the command again ('sealops status' reads the live state without it).",
      );
      return true;
    });
  });
});
