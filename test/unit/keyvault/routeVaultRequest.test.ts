import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MethodNotAllowedError } from '../../../local/keyvault/errors/MethodNotAllowedError.js';
import { UnknownOperationError } from '../../../local/keyvault/errors/UnknownOperationError.js';
import { routeVaultRequest } from '../../../local/keyvault/routeVaultRequest.js';

const VERSION = '0123456789abcdef0123456789abcdef';

void describe('routeVaultRequest', () => {
  const cases: [string, string, ReturnType<typeof routeVaultRequest>][] = [
    ['PUT', '/secrets/key', { kind: 'setSecret', name: 'key' }],
    ['GET', '/secrets/key', { kind: 'getSecret', name: 'key' }],
    ['GET', '/secrets/key/', { kind: 'getSecret', name: 'key', version: undefined }],
    ['GET', `/secrets/key/${VERSION}`, { kind: 'getSecret', name: 'key', version: VERSION }],
    ['PATCH', `/secrets/key/${VERSION}`, { kind: 'updateSecret', name: 'key', version: VERSION }],
    ['GET', '/secrets', { kind: 'getSecrets' }],
    ['GET', '/secrets/key/versions', { kind: 'getSecretVersions', name: 'key' }],
    ['DELETE', '/secrets/key', { kind: 'deleteSecret', name: 'key' }],
    ['POST', '/secrets/key/backup', { kind: 'backupSecret', name: 'key' }],
    ['POST', '/secrets/restore', { kind: 'restoreSecret' }],
    ['PUT', '/secrets/restore', { kind: 'setSecret', name: 'restore' }],
    ['GET', '/deletedsecrets', { kind: 'getDeletedSecrets' }],
    ['GET', '/deletedsecrets/key', { kind: 'getDeletedSecret', name: 'key' }],
    ['DELETE', '/deletedsecrets/key', { kind: 'purgeDeletedSecret', name: 'key' }],
    ['POST', '/deletedsecrets/key/recover', { kind: 'recoverDeletedSecret', name: 'key' }],
    ['GET', '/secrets/a%2Db', { kind: 'getSecret', name: 'a-b' }],
  ];

  for (const [method, path, expected] of cases) {
    void test(`routes ${method} ${path} to ${expected.kind}`, () => {
      assert.deepEqual(routeVaultRequest(method, path), expected);
    });
  }

  void test('refuses a method the path does not take, naming the ones it does', () => {
    assert.throws(
      () => routeVaultRequest('POST', '/secrets/key'),
      (error: unknown) => {
        assert.ok(error instanceof MethodNotAllowedError);
        assert.equal(
          error.message,
          'POST is not allowed on /secrets/key; use PUT or DELETE or GET.',
        );
        return true;
      },
    );
  });

  void test('refuses paths that are no secrets operation, including malformed percent-encoding', () => {
    for (const path of [
      '/',
      '/keys/key',
      '/secrets/key/a/b',
      '/secrets/%E0%A4%A',
      '/deletedsecrets/key/x',
    ]) {
      assert.throws(() => routeVaultRequest('GET', path), UnknownOperationError, path);
    }
  });
});
