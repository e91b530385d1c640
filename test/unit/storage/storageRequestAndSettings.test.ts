import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readStorageSealRequest } from '../../../lib/api/readStorageSealRequest.js';
import { loadStorageSettings } from '../../../lib/config/StorageSettings.js';
import { checkBlobName, checkContainerName } from '../../../lib/storage/checkBlobLocation.js';

describe('readStorageSealRequest', () => {
  const valid = {
    source: { container: 'documents', blob: 'in/a.pdf', etag: '"0x8DC0123456789AB"' },
    destination: { container: 'sealed', blob: 'out/a.pdf' },
    overwrite: true,
    reason: 'Archived',
  };

  it('reads the source, its ETag, the destination, overwrite and the seal options', () => {
    assert.deepEqual(readStorageSealRequest(valid), {
      source: { container: 'documents', blob: 'in/a.pdf' },
      sourceEtag: '"0x8DC0123456789AB"',
      destination: { container: 'sealed', blob: 'out/a.pdf' },
      overwrite: true,
      options: { reason: 'Archived' },
    });
    assert.equal(readStorageSealRequest({ ...valid, overwrite: undefined }).overwrite, false);
  });

  const refusals: [string, object, string, string][] = [
    [
      'an unknown field',
      { ...valid, sizeLimit: 1 },
      'INVALID_REQUEST',
      'The field "sizeLimit" is invalid: no such field; known: source, destination, overwrite, reason, location, contactInfo, fieldName, timestamp, subFilter.',
    ],
    [
      'an unknown source field',
      { ...valid, source: { ...valid.source, snapshot: 'x' } },
      'INVALID_REQUEST',
      'The field "source.snapshot" is invalid: no such field; known: container, blob, etag.',
    ],
    [
      'a PDF as well as a source',
      { ...valid, pdf: 'JVBERi0=' },
      'INVALID_REQUEST',
      'The field "pdf" is invalid: a storage request names its source blob; send "pdf" or "source", not both.',
    ],
    [
      'overwrite as text',
      { ...valid, overwrite: 'yes' },
      'INVALID_REQUEST',
      'The field "overwrite" is invalid: expected true or false.',
    ],
    [
      'a container name that is too short',
      { ...valid, destination: { container: 'ab', blob: 'x' } },
      'INVALID_CONTAINER_NAME',
      'The container name in "destination.container" is invalid: expected 3 to 63 characters.',
    ],
    [
      'a blob name with a control character',
      { ...valid, destination: { container: 'sealed', blob: 'a\nb' } },
      'INVALID_BLOB_NAME',
      'The blob name in "destination.blob" is invalid: control characters are not allowed.',
    ],
    [
      'an ETag with spaces',
      { ...valid, source: { ...valid.source, etag: 'a b' } },
      'INVALID_REQUEST',
      'The field "source.etag" is invalid: expected the ETag the blob has, for example "0x8DC0123456789AB".',
    ],
  ];
  for (const [name, body, code, message] of refusals) {
    it(`refuses ${name} with ${code}`, () => {
      assert.throws(() => readStorageSealRequest(body as Record<string, unknown>), {
        code,
        message,
      });
    });
  }
});

describe('container and blob names', () => {
  it('accepts the names Azure accepts', () => {
    for (const name of ['abc', 'a-b-c', 'x'.repeat(63), '0documents9']) {
      assert.equal(checkContainerName(name, 'c'), name);
    }
    for (const name of ['a', 'folder/file.pdf', 'Ünïcode name (1).pdf', 'x'.repeat(1024)]) {
      assert.equal(checkBlobName(name, 'b'), name);
    }
  });

  it('refuses the names Azure refuses or tools cannot map to files', () => {
    for (const name of ['a--b', '-abc', 'abc-', 'ABC', 'a_b', '$root', 'x'.repeat(64)]) {
      assert.throws(() => checkContainerName(name, 'c'), { code: 'INVALID_CONTAINER_NAME' });
    }
    for (const name of ['', 'a.', 'a/', 'x'.repeat(1025), 'a\u0000b', `${'a/'.repeat(254)}a`]) {
      assert.throws(() => checkBlobName(name, 'b'), { code: 'INVALID_BLOB_NAME' });
    }
  });
});

describe('loadStorageSettings', () => {
  const connection = 'UseDevelopmentStorage=true';

  it('turns storage mode off, allowing no container, when nothing is set', () => {
    assert.deepEqual(loadStorageSettings({}), {
      allowedContainers: [],
      copyMode: 'auto',
      stagingContainer: 'sealops-staging',
    });
  });

  it('reads the account, the allowlist, the copy mode and the drop folder', () => {
    assert.deepEqual(
      loadStorageSettings({
        SEAL_STORAGE_ACCOUNT_URL: 'https://docs.blob.core.windows.net/',
        SEAL_ALLOWED_CONTAINERS: ' inbox, outbox ,failed,archive,inbox',
        SEAL_STORAGE_COPY: 'staged',
        SEAL_STAGING_CONTAINER: 'seal-staging',
        SEAL_DROP_INBOX: 'inbox',
        SEAL_DROP_OUTBOX: 'outbox',
        SEAL_DROP_FAILED: 'failed',
      }),
      {
        account: { kind: 'accountUrl', accountUrl: 'https://docs.blob.core.windows.net' },
        allowedContainers: ['inbox', 'outbox', 'failed', 'archive'],
        copyMode: 'staged',
        stagingContainer: 'seal-staging',
        dropFolder: { inbox: 'inbox', outbox: 'outbox', failed: 'failed' },
      },
    );
  });

  const refusals: [string, NodeJS.ProcessEnv, string][] = [
    [
      'an allowlist without an account',
      { SEAL_ALLOWED_CONTAINERS: 'a-b' },
      'The app setting SEAL_STORAGE_CONNECTION is missing while SEAL_ALLOWED_CONTAINERS names containers (set it or SEAL_STORAGE_ACCOUNT_URL); an operator must fix the configuration.',
    ],
    [
      'two accounts',
      { SEAL_STORAGE_CONNECTION: connection, SEAL_STORAGE_ACCOUNT_URL: 'https://x' },
      'The app setting SEAL_STORAGE_ACCOUNT_URL is set along with SEAL_STORAGE_CONNECTION (set one); an operator must fix the configuration.',
    ],
    [
      'an invalid allowed container',
      { SEAL_STORAGE_CONNECTION: connection, SEAL_ALLOWED_CONTAINERS: 'Docs' },
      'The app setting SEAL_ALLOWED_CONTAINERS is holding "Docs", not a valid container name; an operator must fix the configuration.',
    ],
    [
      'an unknown copy mode',
      { SEAL_STORAGE_COPY: 'fast' },
      'The app setting SEAL_STORAGE_COPY is not one of auto, service, staged, streamed; an operator must fix the configuration.',
    ],
    [
      'a staging container on the allowlist',
      {
        SEAL_STORAGE_CONNECTION: connection,
        SEAL_ALLOWED_CONTAINERS: 'documents,sealops-staging',
        SEAL_STORAGE_COPY: 'staged',
      },
      'The app setting SEAL_STAGING_CONTAINER is a container in SEAL_ALLOWED_CONTAINERS (requests could read documents being sealed); an operator must fix the configuration.',
    ],
    [
      'an invalid staging container',
      { SEAL_STAGING_CONTAINER: 'Staging' },
      'The app setting SEAL_STAGING_CONTAINER is not a valid container name; an operator must fix the configuration.',
    ],
    [
      'half a drop folder',
      {
        SEAL_STORAGE_CONNECTION: connection,
        SEAL_ALLOWED_CONTAINERS: 'inbox',
        SEAL_DROP_INBOX: 'inbox',
      },
      'The app setting SEAL_DROP_OUTBOX is missing (the drop folder needs all three containers); an operator must fix the configuration.',
    ],
    [
      'a drop folder outside the allowlist',
      {
        SEAL_STORAGE_CONNECTION: connection,
        SEAL_ALLOWED_CONTAINERS: 'inbox,outbox',
        SEAL_DROP_INBOX: 'inbox',
        SEAL_DROP_OUTBOX: 'outbox',
        SEAL_DROP_FAILED: 'failed',
      },
      'The app setting SEAL_DROP_FAILED is a container not in SEAL_ALLOWED_CONTAINERS; an operator must fix the configuration.',
    ],
  ];
  for (const [name, env, message] of refusals) {
    it(`refuses ${name}, naming the setting`, () => {
      assert.throws(() => loadStorageSettings(env), { code: 'CONFIGURATION_ERROR', message });
    });
  }
});
