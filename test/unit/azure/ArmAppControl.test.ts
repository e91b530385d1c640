import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

import type { AccessToken, TokenCredential } from '@azure/identity';

import { ArmAppControl } from '../../../lib/azure/ArmAppControl.js';
import { ArmOperationFailedError } from '../../../lib/azure/errors/ArmOperationFailedError.js';
import type { LocalTls } from '../../../local/tls/ensureLocalTls.js';
import { ensureLocalTls } from '../../../local/tls/ensureLocalTls.js';
import type { ArmAppServiceStandIn, ArmSite } from '../../support/armAppServiceStandIn.js';
import { startArmAppServiceStandIn } from '../../support/armAppServiceStandIn.js';

const IDS = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg-seal',
  appName: 'func-seal',
};
const KV_REFERENCE =
  '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/trusted-signatures-api-key/)';

const credential: TokenCredential = {
  getToken: () =>
    Promise.resolve({
      token: 'arm-test-token',
      expiresOnTimestamp: Date.now() + 3_600_000,
      tokenType: 'Bearer',
    } satisfies AccessToken),
};

let dir: string;
let tls: LocalTls;
let arm: ArmAppServiceStandIn | undefined;
let control: ArmAppControl;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealops-arm-'));
  tls = await ensureLocalTls(dir);
});

after(async () => {
  await arm?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await arm?.close();
  arm = await startArmAppServiceStandIn(tls, IDS, seededSite());
  control = controlFor(IDS.appName);
});

function controlFor(appName: string): ArmAppControl {
  return new ArmAppControl(IDS.subscriptionId, IDS.resourceGroup, appName, credential, {
    endpoint: arm?.endpoint ?? '',
    tlsOptions: { ca: tls.caPem },
    retryOptions: { maxRetries: 0 },
  });
}

function seededSite(): ArmSite {
  return {
    state: 'Running',
    appSettings: {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      TS_API_KEY: KV_REFERENCE,
      'AzureWebJobs.rotateKeys.Disabled': 'true',
    },
    config: {
      numberOfWorkers: 1,
      nodeVersion: '~22',
      alwaysOn: true,
      ipSecurityRestrictionsDefaultAction: 'Allow',
      ipSecurityRestrictions: [
        {
          ipAddress: '198.51.100.0/24',
          action: 'Allow',
          priority: 100,
          name: 'office',
          headers: { 'x-forwarded-host': ['seal.example.com'] },
        },
        {
          vnetSubnetResourceId: '/subscriptions/x/subnets/app',
          action: 'Allow',
          priority: 200,
          name: 'vnet',
        },
        {
          ipAddress: 'AzureFrontDoor.Backend',
          tag: 'ServiceTag',
          action: 'Allow',
          priority: 300,
          name: 'front-door',
        },
      ],
    },
    functionKeys: { sealPdf: { default: 'seal-default-key-value', partner: 'partner-key-value' } },
    masterKey: 'master-key-value',
    hostFunctionKeys: { default: 'host-default-key-value' },
    systemKeys: { durabletask_extension: 'system-key-value' },
  };
}

function standIn(): ArmAppServiceStandIn {
  assert.ok(arm);
  return arm;
}

void describe('ArmAppControl', () => {
  void test('reads the app state, stops the app and starts it again', async () => {
    assert.equal(await control.getState(), 'Running');

    await control.setState('Stopped');
    assert.equal(await control.getState(), 'Stopped');

    await control.setState('Running');
    assert.equal(await control.getState(), 'Running');
    assert.ok(standIn().requests.every((r) => r.authorization === 'Bearer arm-test-token'));
  });

  void test('exposes plain address rules only, without the platform implicit allow-all entry', async () => {
    const rules = standIn().site.config.ipSecurityRestrictions as object[];
    rules.push({ ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all' });

    assert.deepEqual(await control.getAccessRules(), [
      { name: 'office', action: 'Allow', ipAddress: '198.51.100.0/24', priority: 100 },
    ]);
  });

  void test('adding a deny rule keeps the other rules, their headers and every other site setting', async () => {
    const rules = await control.getAccessRules();

    await control.setAccessRules([
      ...rules,
      {
        name: 'sealops-deny-1',
        action: 'Deny',
        ipAddress: '203.0.113.7/32',
        priority: 50,
        description: 'incident',
      },
    ]);

    const site = standIn().site;
    assert.deepEqual(site.config.ipSecurityRestrictions, [
      {
        ipAddress: '198.51.100.0/24',
        action: 'Allow',
        priority: 100,
        name: 'office',
        headers: { 'x-forwarded-host': ['seal.example.com'] },
      },
      {
        ipAddress: '203.0.113.7/32',
        action: 'Deny',
        priority: 50,
        name: 'sealops-deny-1',
        description: 'incident',
      },
      {
        vnetSubnetResourceId: '/subscriptions/x/subnets/app',
        action: 'Allow',
        priority: 200,
        name: 'vnet',
      },
      {
        ipAddress: 'AzureFrontDoor.Backend',
        tag: 'ServiceTag',
        action: 'Allow',
        priority: 300,
        name: 'front-door',
      },
    ]);
    assert.equal(site.config.nodeVersion, '~22');
    assert.equal(site.config.alwaysOn, true);
    assert.equal(site.config.ipSecurityRestrictionsDefaultAction, 'Allow');
  });

  void test('writes access rules with a PATCH that carries only the rule list', async () => {
    await control.setAccessRules([]);

    const patch = standIn().requests.find((r) => r.method === 'PATCH');
    assert.ok(patch);
    assert.equal(patch.path, '/config/web');
    assert.deepEqual(Object.keys((patch.body as { properties: object }).properties), [
      'ipSecurityRestrictions',
    ]);
    assert.deepEqual(standIn().site.config.ipSecurityRestrictions, [
      {
        vnetSubnetResourceId: '/subscriptions/x/subnets/app',
        action: 'Allow',
        priority: 200,
        name: 'vnet',
      },
      {
        ipAddress: 'AzureFrontDoor.Backend',
        tag: 'ServiceTag',
        action: 'Allow',
        priority: 300,
        name: 'front-door',
      },
    ]);
  });

  void test('disabling a function adds its setting and keeps every other app setting, Key Vault references included', async () => {
    assert.equal(await control.isFunctionDisabled('sealPdf'), false);

    await control.setFunctionDisabled('sealPdf', true);

    assert.equal(await control.isFunctionDisabled('sealPdf'), true);
    assert.deepEqual(standIn().site.appSettings, {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      TS_API_KEY: KV_REFERENCE,
      'AzureWebJobs.rotateKeys.Disabled': 'true',
      'AzureWebJobs.sealPdf.Disabled': 'true',
    });
  });

  void test('enabling a function removes its setting and nothing else', async () => {
    await control.setFunctionDisabled('rotateKeys', false);

    assert.deepEqual(standIn().site.appSettings, {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      TS_API_KEY: KV_REFERENCE,
    });
  });

  void test('does not write app settings (which restarts the app) when the function is already in that state', async () => {
    await control.setFunctionDisabled('rotateKeys', true);
    await control.setFunctionDisabled('sealPdf', false);

    assert.equal(standIn().requests.filter((r) => r.method === 'PUT').length, 0);
  });

  void test('lists function keys from the flat body ARM really sends', async () => {
    assert.deepEqual(await control.listFunctionKeys('sealPdf'), {
      default: 'seal-default-key-value',
      partner: 'partner-key-value',
    });
  });

  void test('replaces a function key with a given value, or with a platform-made one, and keeps the others', async () => {
    assert.equal(
      await control.setFunctionKey('sealPdf', 'default', 'replacement-key-value-000000'),
      'replacement-key-value-000000',
    );
    const generated = await control.setFunctionKey('sealPdf', 'responder');

    assert.match(generated, /^[\w-]{40}$/);
    assert.deepEqual(standIn().site.functionKeys.sealPdf, {
      default: 'replacement-key-value-000000',
      partner: 'partner-key-value',
      responder: generated,
    });
  });

  void test('deletes a function key, and deleting it again is not an error', async () => {
    await control.deleteFunctionKey('sealPdf', 'partner');
    await control.deleteFunctionKey('sealPdf', 'partner');

    assert.deepEqual(await control.listFunctionKeys('sealPdf'), {
      default: 'seal-default-key-value',
    });
  });

  void test('manages host function keys without listing or touching the master and system keys', async () => {
    assert.deepEqual(await control.listHostKeys(), { default: 'host-default-key-value' });

    const value = await control.setHostKey('responder');
    await control.deleteHostKey('default');
    await control.deleteHostKey('default');

    const site = standIn().site;
    assert.deepEqual(site.hostFunctionKeys, { responder: value });
    assert.equal(site.masterKey, 'master-key-value');
    assert.deepEqual(site.systemKeys, { durabletask_extension: 'system-key-value' });
  });

  void test('asks ARM to refresh Key Vault references with the documented call', async () => {
    await control.refreshKeyVaultReferences();

    const refresh = standIn().requests.at(-1);
    assert.deepEqual(
      {
        method: refresh?.method,
        path: refresh?.path,
        apiVersion: refresh?.apiVersion,
        authorization: refresh?.authorization,
      },
      {
        method: 'POST',
        path: '/config/configreferences/appsettings/refresh',
        apiVersion: '2022-03-01',
        authorization: 'Bearer arm-test-token',
      },
    );
  });

  void test('reports an ARM failure with its status and code, and no request content', async () => {
    await assert.rejects(
      controlFor('func-missing').setFunctionKey(
        'sealPdf',
        'default',
        'secret-value-that-must-not-leak',
      ),
      (error: unknown) => {
        assert.ok(error instanceof ArmOperationFailedError);
        assert.equal(error.code, 'ARM_OPERATION_FAILED');
        assert.equal(
          error.message,
          "Azure Resource Manager answered 404 (ResourceNotFound) to createOrUpdateFunctionSecret on app 'func-missing'; " +
            'check that the app exists and that the signed-in identity may manage it (Website Contributor).',
        );
        assert.equal(error.cause, undefined);
        return true;
      },
    );
  });
});
