import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { SecretClient } from '@azure/keyvault-secrets';
import { PDFDocument } from 'pdf-lib';

import type { CredentialStatus } from '../../../lib/rotation/credentialStatus.js';
import type { CredentialRun } from '../../../lib/rotation/RotationRun.js';
import type { PlannedAction } from '../../../lib/rotation/RotationEngine.js';
import { localVaultCredential } from '../../../local/keyvault/localVaultCredential.js';
import {
  projectDir,
  startStackProcess,
  type StackProcess,
} from '../../support/startStackProcess.js';

/** The command line of this very build. */
const cli = fileURLToPath(new URL('../../../runbooks/cli.js', import.meta.url));
const day = 24 * 60 * 60 * 1000;

describe('key rotation on the local stack, as a newcomer watches it', () => {
  let stack: StackProcess;
  let pdf: Uint8Array;

  before(async () => {
    // The function re-reads Key Vault on every seal, so a published key is used at once.
    stack = await startStackProcess({ KEY_VAULT_CACHE_SECONDS: '0' });
    const document = await PDFDocument.create();
    document.addPage();
    pdf = await document.save();
  });
  after(async () => stack.stop());

  async function sealops(...args: string[]) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'keys', ...args], {
        cwd: projectDir,
        env: { ...process.env, SEALOPS_STATE_DIR: stack.stateDir },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: `${failure.stdout}${failure.stderr}` };
    }
  }

  async function json<T>(...args: string[]): Promise<T> {
    const { code, stdout } = await sealops(...args, '--json');
    assert.equal(code, 0, stdout);
    return JSON.parse(stdout) as T;
  }

  async function seal(key = stack.functionKey): Promise<{ status: number; keyId: string | null }> {
    const response = await fetch(`${stack.baseUrl}/seal-pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-functions-key': key },
      body: pdf,
    });
    await response.arrayBuffer();
    return { status: response.status, keyId: response.headers.get('x-seal-key-id') };
  }

  async function events(name: string): Promise<Record<string, string>[]> {
    const text = await readFile(join(stack.telemetryDir, 'AppEvents.jsonl'), 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { Name: string; Properties: Record<string, string> })
      .filter((row) => row.Name === name)
      .map((row) => row.Properties);
  }

  it('seals with the key the stack put in Key Vault, and status shows it with its expiry', async () => {
    assert.ok(stack.keyVaultUrl?.startsWith('https://127.0.0.1:'));
    const sealed = await seal();
    assert.equal(sealed.status, 200);
    const [signing] = await json<CredentialStatus[]>('status', '--credential', 'signing-api-key');
    assert.equal(signing?.phase, 'idle');
    assert.equal(signing?.keys.length, 1);
    assert.equal(signing?.keys[0]?.keyId, sealed.keyId);
    assert.equal(signing?.keys[0]?.state, 'preferred');
    assert.equal(signing?.next.action, 'check');
  });

  it('rotates without a failed seal, with every step in the output, in status and in the audit events', async () => {
    const [before] = await json<CredentialStatus[]>('status', '--credential', 'signing-api-key');
    const oldKey = before?.keys[0];
    const expiry = Date.parse(oldKey?.expiresOn ?? '');

    // Watching the key approach expiry: a month before it, the next run would start a rotation.
    const nearExpiry = new Date(expiry - 29 * day).toISOString();
    const [plan] = await json<PlannedAction[]>(
      'plan',
      '--credential',
      'signing-api-key',
      '--now',
      nearExpiry,
    );
    assert.equal(plan?.action, 'start');

    // The operator does not wait: a rotation now, whatever the expiry.
    const [run] = await json<CredentialRun[]>(
      'run',
      '--credential',
      'signing-api-key',
      '--rotate-now',
    );
    assert.deepEqual(
      run?.steps.map(({ step }) => step),
      ['start', 'obtain', 'test', 'publish', 'refresh'],
    );
    const newKeyId = run?.steps[1]?.keyId;
    assert.deepEqual(await seal(), { status: 200, keyId: newKeyId });
    const [overlap] = await json<CredentialStatus[]>('status', '--credential', 'signing-api-key');
    assert.deepEqual(
      overlap?.keys.map(({ keyId, state }) => `${state}:${keyId}`),
      [`preferred:${newKeyId}`, `retiring:${oldKey?.keyId}`],
    );
    assert.equal(overlap?.next.action, 'wait');

    // Eight days on, the overlap is over and the old key went unused: it is retired.
    const afterOverlap = new Date(Date.now() + 8 * day).toISOString();
    const [finished] = await json<CredentialRun[]>(
      'run',
      '--credential',
      'signing-api-key',
      '--now',
      afterOverlap,
    );
    assert.deepEqual(finished?.steps.map(({ step, keyId }) => `${step}:${keyId}`).slice(0, 4), [
      `confirm:${oldKey?.keyId}`,
      `revoke:${oldKey?.keyId}`,
      `deactivate:${oldKey?.keyId}`,
      `complete:${newKeyId}`,
    ]);
    assert.deepEqual(await seal(), { status: 200, keyId: newKeyId });

    const steps = (await events('RotationStep')).filter(
      ({ credential }) => credential === 'signing-api-key',
    );
    assert.ok(steps.some(({ step, keyId }) => step === 'publish' && keyId === newKeyId));
    assert.ok(steps.some(({ step, keyId }) => step === 'deactivate' && keyId === oldKey?.keyId));
    const failedSeals = (await events('SealRequest')).filter(
      ({ outcome }) => outcome !== 'success',
    );
    assert.deepEqual(failedSeals, []);
  });

  it('gives callers a rotating function key through Key Vault', async () => {
    const [run] = await json<CredentialRun[]>('run', '--credential', 'function-key:seal-pdf');
    assert.equal(run?.outcome, 'idle', run?.message);
    const client = new SecretClient(stack.keyVaultUrl ?? '', localVaultCredential(), {
      tlsOptions: { ca: await readFile(stack.keyVaultCaFile ?? '', 'utf8') },
      disableChallengeResourceVerification: true,
    });
    const callerKey = (await client.getSecret('function-key-seal-pdf-callers-a')).value ?? '';
    assert.equal((await seal(callerKey)).status, 200);
  });

  it('publishes the new caller key to Key Vault when an incident replaces the function keys', async () => {
    const client = new SecretClient(stack.keyVaultUrl ?? '', localVaultCredential(), {
      tlsOptions: { ca: await readFile(stack.keyVaultCaFile ?? '', 'utf8') },
      disableChallengeResourceVerification: true,
    });
    const leaked = (await client.getSecret('function-key-seal-pdf-callers-a')).value ?? '';
    const contain = await promisify(execFile)(
      process.execPath,
      [cli, 'contain', '--replace-function-keys', '--reason', 'caller key leaked', '--yes'],
      { cwd: projectDir, env: { ...process.env, SEALOPS_STATE_DIR: stack.stateDir } },
    );
    assert.match(contain.stdout, /replace-key function:seal-pdf\/callers-a/);

    const published = (await client.getSecret('function-key-seal-pdf-callers-a')).value ?? '';
    assert.notEqual(published, leaked);
    assert.equal((await seal(leaked)).status, 401);
    assert.equal((await seal(published)).status, 200);
    const enabled: string[] = [];
    for await (const version of client.listPropertiesOfSecretVersions(
      'function-key-seal-pdf-callers-a',
    )) {
      if (version.enabled) enabled.push(version.version ?? '');
    }
    assert.equal(enabled.length, 1, 'only the new value stays enabled for callers');
  });

  it('runs on the timer function too, which records its daily check', async () => {
    const response = await fetch(
      `${stack.baseUrl.replace(/\/api$/, '')}/admin/functions/rotate-keys`,
      {
        method: 'POST',
        headers: { 'x-functions-key': stack.masterKey, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    await response.body?.cancel();
    assert.ok(response.ok, String(response.status));
    const checks = (await events('RotationStep')).filter(({ step }) => step === 'check');
    assert.ok(checks.length > 0);
  });

  it('refuses a malformed staged key with a clear message and exit code 1', async () => {
    const keyFile = join(stack.stateDir, 'staged.key');
    await import('node:fs/promises').then(({ writeFile }) => writeFile(keyFile, 'not-a-hex-key'));
    const result = await sealops(
      'stage',
      '--key-id',
      '6b1f9a4e-0c1d-4a7b-9a3e-2f4d5c6b7a80',
      '--key-file',
      keyFile,
      '--expires',
      new Date(Date.now() + 200 * day).toISOString(),
    );
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout.trim(),
      'sealops keys: The staged key was refused: its key is not a hex API key (an even number of hex digits, at least 32). Nothing was staged.',
    );
  });
});
