import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { createSecretClient } from '../../lib/azure/createSecretClient.js';
import { KeyVaultSecretStore } from '../../lib/azure/KeyVaultSecretStore.js';
import {
  defaultSigningKeySecretName,
  signingKeyContentType,
  signingKeyVersionTags,
  validSigningKeyVersions,
} from '../../lib/credentials/signingKeySecret.js';
import { ProviderKeyApi } from '../../lib/rotation/signing-key/ProviderKeyApi.js';
import { makeTestPdf } from '../../lib/runbooks/makeTestPdf.js';
import type { StepResult } from '../../lib/runbooks/RunbookRunReport.js';
import { runContain } from '../../runbooks/commands/contain.js';
import { runRecover } from '../../runbooks/commands/recover.js';
import { readStackEndpoints } from '../../runbooks/incident/readStackEndpoints.js';
import { Interrupted, readHostState, runCommand } from '../support/runbookCommands.js';
import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';

let stack: StackProcess;
let store: KeyVaultSecretStore;
let provider: ProviderKeyApi;
let pdf: Uint8Array;

before(async () => {
  // The app re-reads Key Vault on every seal, so a disabled version stops being used at once.
  stack = await startStackProcess({ KEY_VAULT_CACHE_SECONDS: '0' });
  const endpoints = await readStackEndpoints(stack.stateDir);
  assert.ok(endpoints.keyVaultUrl, 'the local stack runs its Key Vault');
  store = new KeyVaultSecretStore(
    createSecretClient({
      vaultUrl: endpoints.keyVaultUrl,
      secretName: defaultSigningKeySecretName,
      ...(endpoints.keyVaultCaFile ? { caFile: endpoints.keyVaultCaFile } : {}),
      localCredential: true,
      cacheTtlMs: 0,
    }),
  );
  provider = new ProviderKeyApi({
    baseUrl: stack.signingServiceUrl,
    adminToken: stack.signingAdminToken,
  });
  pdf = await makeTestPdf('e2e signing keys', new Date());
});

after(async () => {
  await stack?.stop();
});

async function validKeyIds(): Promise<string[]> {
  const versions = await store.listVersions(defaultSigningKeySecretName);
  return validSigningKeyVersions(versions, new Date()).map((version) => version.keyId);
}

async function seal(): Promise<{ status: number; keyId: string | null; code?: string }> {
  const key = (await readHostState(stack)).hostKeys.default ?? '';
  const response = await fetch(`${stack.baseUrl}/seal-pdf`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', 'x-functions-key': key },
    body: pdf,
  });
  const keyId = response.headers.get('x-seal-key-id');
  if (response.ok) {
    await response.arrayBuffer();
    return { status: response.status, keyId };
  }
  const { error } = (await response.json()) as { error: { code: string } };
  return { status: response.status, keyId, code: error.code };
}

/** An operator stages a second key: issued by the provider, written as a new version. */
async function stageKey(): Promise<string> {
  const issued = await provider.issue();
  await store.setSecret(defaultSigningKeySecretName, issued.apiKeyHex, {
    tags: signingKeyVersionTags(issued.keyId, issued.apiKeyHex, { issuedBy: 'operator' }),
    expiresOn: issued.expiresAt,
    contentType: signingKeyContentType,
  });
  return issued.keyId;
}

async function interruptedAfterEachStep(
  command: Parameters<typeof runCommand>[0],
  args: string[],
  stepCount: number,
): Promise<string[][]> {
  const runs: string[][] = [];
  for (let stop = 0; stop <= stepCount; stop++) {
    const steps: StepResult[] = [];
    const options = stop < stepCount ? { interruptAfter: stop, steps } : { steps };
    const run = await runCommand(command, stack, args, options).catch((error: unknown) => error);
    if (stop < stepCount)
      assert.ok(run instanceof Interrupted, `not interrupted after step ${stop + 1}`);
    else
      assert.equal(
        (run as { exitCode: number }).exitCode,
        0,
        (run as { lines: string[] }).lines.join('\n'),
      );
    runs.push(steps.map((step) => `${step.action}: ${step.outcome}`));
  }
  return runs;
}

describe('signing-key containment and recovery on the local stack', () => {
  let leaked: string;

  it('refuses to disable the last valid signing key without --force, says why, and changes nothing', async () => {
    [leaked = ''] = await validKeyIds();

    const run = await runCommand(runContain, stack, ['--disable-signing-key', leaked, '--yes']);

    assert.equal(run.exitCode, 3);
    assert.ok(
      run.lines.includes(
        `  - disable-signing-key ${leaked}: key ${leaked} is the last valid signing key: disabling ` +
          'it stops every seal until recover issues a new one. Pass --force to disable it anyway ' +
          '(or stage a new key first).',
      ),
      run.lines.join('\n'),
    );
    assert.deepEqual(await validKeyIds(), [leaked]);
  });

  it('with --force disables it in Key Vault and revokes it at the provider; seals then fail with SIGNING_KEY_MISSING', async () => {
    const run = await runCommand(runContain, stack, [
      '--disable-signing-key',
      leaked,
      '--force',
      '--yes',
    ]);

    assert.equal(run.exitCode, 0, run.lines.join('\n'));
    assert.deepEqual(await validKeyIds(), []);
    assert.equal((await provider.list()).find((key) => key.keyId === leaked)?.revoked, true);
    assert.deepEqual(await seal(), { status: 500, keyId: null, code: 'SIGNING_KEY_MISSING' });
  });

  it('recover issues a new key through the rotation engine, resumes after each interruption, and seals with it', async () => {
    const runs = await interruptedAfterEachStep(runRecover, ['--yes'], 4);

    assert.deepEqual(runs[0], ['rotate-signing-key: changed']);
    assert.deepEqual(runs.at(-1), [
      'rotate-signing-key: unchanged',
      'replace-key: unchanged',
      'health-check: checked',
      'test-seal: checked',
      'close-incident: changed',
    ]);
    const [fresh = ''] = await validKeyIds();
    assert.notEqual(fresh, leaked);
    assert.deepEqual(await seal(), { status: 200, keyId: fresh });
  });

  it('with another valid key, disabling the leaked one keeps sealing up on the other', async () => {
    const [current = ''] = await validKeyIds();
    const standby = await stageKey();

    const runs = await interruptedAfterEachStep(
      runContain,
      ['--disable-signing-key', current, '--yes'],
      2,
    );

    assert.deepEqual(runs, [
      ['disable-signing-key: changed'],
      ['disable-signing-key: unchanged', 'revoke-signing-key: changed'],
      ['disable-signing-key: unchanged', 'revoke-signing-key: unchanged'],
    ]);
    assert.deepEqual(await validKeyIds(), [standby]);
    assert.deepEqual(await seal(), { status: 200, keyId: standby });
  });
});
