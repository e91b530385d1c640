import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { makeTestPdf } from '../../lib/runbooks/makeTestPdf.js';
import type { RunbookRunReport, StepResult } from '../../lib/runbooks/RunbookRunReport.js';
import type { ContainmentStatus } from '../../lib/runbooks/status/readContainmentStatus.js';
import type { Investigation } from '../../lib/runbooks/investigate/runInvestigation.js';
import { runContain } from '../../runbooks/commands/contain.js';
import { runInvestigate } from '../../runbooks/commands/investigate.js';
import { runRecover } from '../../runbooks/commands/recover.js';
import { runStatus } from '../../runbooks/commands/status.js';
import {
  Interrupted,
  readHostState,
  runCommand,
  sealFrom,
  type CommandRun,
} from '../support/runbookCommands.js';
import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';

let stack: StackProcess;
let pdf: Uint8Array;

before(async () => {
  stack = await startStackProcess();
  pdf = await makeTestPdf('e2e', new Date());
});

after(async () => {
  await stack?.stop();
});

/** Runs the command once per step, stopping after step 1, then 2, ..., then to the end. */
async function runInterruptedAfterEachStep(
  command: Parameters<typeof runCommand>[0],
  args: string[],
  stepCount: number,
): Promise<{ runs: StepResult[][]; last: CommandRun }> {
  const runs: StepResult[][] = [];
  for (let stop = 0; stop < stepCount; stop++) {
    const steps: StepResult[] = [];
    const interrupted = await runCommand(command, stack, args, {
      interruptAfter: stop,
      steps,
    }).then(
      (run) => assert.fail(`not interrupted after step ${stop + 1}:\n${run.lines.join('\n')}`),
      (error: unknown) => error,
    );
    assert.ok(interrupted instanceof Interrupted, String(interrupted));
    runs.push(steps);
  }
  const steps: StepResult[] = [];
  const last = await runCommand(command, stack, args, { steps });
  runs.push(steps);
  return { runs, last };
}

function outcomes(steps: readonly StepResult[]): string[] {
  return steps.map((step) => `${step.action} ${step.target}: ${step.outcome}`);
}

async function status(): Promise<ContainmentStatus> {
  const run = await runCommand(runStatus, stack, ['--json']);
  assert.equal(run.exitCode, 0, run.lines.join('\n'));
  return run.json<ContainmentStatus>();
}

describe('incident runbooks on the local stack', () => {
  let oldKey: string;
  let newKey: string;

  it('shows the contain plan without --yes and changes nothing', async () => {
    const before = await readHostState(stack);

    const run = await runCommand(runContain, stack, [
      '--block',
      '127.0.0.2',
      '--replace-function-keys',
      '--stop-app',
    ]);

    assert.equal(run.exitCode, 0, run.lines.join('\n'));
    assert.ok(run.lines.includes('Plan (nothing changes without --yes):'));
    assert.ok(
      run.lines.some((line) =>
        line.startsWith('  [would do ] block-address 127.0.0.2/32: add Deny rule sealops-block-'),
      ),
    );
    assert.ok(
      run.lines.includes(
        '  [would do ] stop-app sealops: stop the app; every request gets 403 until recover starts it (now: app Running)',
      ),
    );
    assert.ok(run.lines.includes('Run the same command with --yes to apply it.'));
    assert.deepEqual(await readHostState(stack), before);
    assert.equal((await status()).incident, undefined);
  });

  it('refuses to block the address the responder calls from, says why, and changes nothing', async () => {
    const run = await runCommand(runContain, stack, [
      '--block',
      '127.0.0.0/8',
      '--block',
      '198.51.100.9',
      '--yes',
    ]);

    assert.equal(run.exitCode, 3);
    assert.ok(
      run.lines.includes(
        '  - block-address 127.0.0.0/8: 127.0.0.0/8 contains 127.0.0.1, the address you are calling ' +
          'from; blocking it would lock you out of the app. Narrow the range, or pass ' +
          '--allow-self-block to block it anyway.',
      ),
      run.lines.join('\n'),
    );
    assert.equal(run.lines.at(-1), 'refused: nothing was changed (the reasons are above).');
    assert.deepEqual((await readHostState(stack)).accessRestrictions, []);
  });

  it('contains a leaked key: interrupted after each step, the next run finishes and leaves done steps unchanged', async () => {
    oldKey = (await readHostState(stack)).hostKeys.default ?? '';
    const args = [
      '--block',
      '127.0.0.2',
      '--replace-function-keys',
      '--reason',
      'leaked key drill',
      '--yes',
    ];

    const { runs, last } = await runInterruptedAfterEachStep(runContain, args, 2);

    assert.equal(last.exitCode, 0, last.lines.join('\n'));
    assert.deepEqual(runs.map(outcomes), [
      ['block-address 127.0.0.2/32: changed'],
      ['block-address 127.0.0.2/32: unchanged', 'replace-key host/default: changed'],
      ['block-address 127.0.0.2/32: unchanged', 'replace-key host/default: unchanged'],
    ]);
    const state = await readHostState(stack);
    newKey = state.hostKeys.default ?? '';
    assert.notEqual(newKey, oldKey);
    assert.deepEqual(
      state.accessRestrictions.map(({ action, ipAddress }) => ({ action, ipAddress })),
      [{ action: 'Deny', ipAddress: '127.0.0.2/32' }],
    );
  });

  it('after contain, the leaked key gets 401, the blocked address 403, and the new key still seals', async () => {
    assert.equal((await sealFrom(stack, pdf, oldKey)).status, 401);
    assert.deepEqual(await sealFrom(stack, pdf, newKey, '127.0.0.2'), {
      status: 403,
      body: 'Error 403 - Forbidden. Ip Forbidden.',
    });
    assert.equal((await sealFrom(stack, pdf, newKey)).status, 200);
  });

  it('takes the seal function offline, then the whole app, each change only once when run twice', async () => {
    const first = await runCommand(runContain, stack, ['--disable-seal', '--yes']);
    const second = await runCommand(runContain, stack, ['--disable-seal', '--yes']);
    assert.ok(
      first.lines.some((line) => line.startsWith('  [changed  ] disable-function seal-pdf:')),
    );
    assert.ok(
      second.lines.some((line) => line.startsWith('  [unchanged] disable-function seal-pdf:')),
    );
    assert.equal((await sealFrom(stack, pdf, newKey)).status, 404);

    const stop = await runCommand(runContain, stack, ['--stop-app', '--yes', '--json']);
    const again = await runCommand(runContain, stack, ['--stop-app', '--yes', '--json']);
    assert.deepEqual(outcomes(stop.json<RunbookRunReport>().steps), ['stop-app sealops: changed']);
    assert.deepEqual(outcomes(again.json<RunbookRunReport>().steps), [
      'stop-app sealops: unchanged',
    ]);
    assert.deepEqual(await sealFrom(stack, pdf, newKey), {
      status: 403,
      body: 'Error 403 - This web app is stopped.',
    });
  });

  it('reports what is contained and since when', async () => {
    const current = await status();

    assert.equal(current.incident?.status, 'open');
    assert.equal(current.incident?.reason, 'leaked key drill');
    assert.equal(current.appState, 'Stopped');
    assert.deepEqual(
      current.inForce.map(({ kind, target }) => `${kind} ${target}`),
      [
        'app-stopped sealops',
        'function-disabled seal-pdf',
        'address-blocked 127.0.0.2/32',
        'key-replaced host/default',
      ],
    );
    assert.ok(
      current.inForce.every((measure) => measure.since !== undefined && measure.by !== undefined),
    );
    assert.deepEqual(current.drift, []);
  });

  it('writes an investigation report and its JSON, naming the blocked address and the failures', async () => {
    const run = await runCommand(runInvestigate, stack, ['--since', '1h', '--json']);
    assert.equal(run.exitCode, 0, run.lines.join('\n'));
    const { markdownPath, jsonPath } = run.json<{ markdownPath: string; jsonPath: string }>();

    const investigation = JSON.parse(await readFile(jsonPath, 'utf8')) as Investigation;
    assert.ok(investigation.summary.addresses.includes('127.0.0.2'));
    assert.deepEqual(investigation.summary.incompleteQueries, []);
    assert.deepEqual(
      investigation.sections.map((section) => section.id),
      [
        'evidence-calls-by-address',
        'callers-by-address-and-key',
        'evidence-keys-used',
        'evidence-failures-by-reason',
        'failed-auth-timeline',
      ],
    );
    const markdown = await readFile(markdownPath, 'utf8');
    assert.match(markdown, /^# Investigation: sealops$/m);
    assert.match(markdown, /^## Failed authentication per address and hour$/m);
    assert.match(markdown, /\| 127\.0\.0\.2 \|/);
  });

  it('narrows an investigation to one address', async () => {
    const run = await runCommand(runInvestigate, stack, [
      '--since',
      '1h',
      '--address',
      '127.0.0.2',
      '--json',
    ]);
    const { jsonPath } = run.json<{ jsonPath: string }>();

    const investigation = JSON.parse(await readFile(jsonPath, 'utf8')) as Investigation;
    assert.deepEqual(investigation.summary.addresses, ['127.0.0.2']);
    assert.deepEqual(investigation.filters, { address: '127.0.0.2/32' });
  });

  it('recovers: interrupted after each step, the next run finishes; sealing works again with the new key', async () => {
    const { runs, last } = await runInterruptedAfterEachStep(runRecover, ['--yes'], 6);

    assert.equal(last.exitCode, 0, last.lines.join('\n'));
    assert.deepEqual(outcomes(runs[0] ?? []), ['replace-key host/default: unchanged']);
    assert.deepEqual(outcomes(runs[3] ?? []), [
      'replace-key host/default: unchanged',
      'lift-block 127.0.0.2/32: unchanged',
      'enable-function seal-pdf: unchanged',
      'start-app sealops: changed',
    ]);
    const final = outcomes(runs.at(-1) ?? []);
    assert.deepEqual(final.slice(0, -1), [
      'replace-key host/default: unchanged',
      'lift-block 127.0.0.2/32: unchanged',
      'enable-function seal-pdf: unchanged',
      'start-app sealops: unchanged',
      'health-check sealops: checked',
      'test-seal seal-pdf: checked',
    ]);
    assert.match(final.at(-1) ?? '', /^close-incident inc-\d{8}T\d{6}Z: changed$/);
    assert.equal((await sealFrom(stack, pdf, newKey, '127.0.0.2')).status, 200);
    assert.equal((await sealFrom(stack, pdf, oldKey)).status, 401);
    const after = await status();
    assert.equal(after.incident?.status, 'closed');
    assert.deepEqual(after.inForce, []);
  });

  it('recover run again changes nothing and only repeats the checks', async () => {
    const run = await runCommand(runRecover, stack, ['--yes', '--json']);

    assert.deepEqual(outcomes(run.json<RunbookRunReport>().steps), [
      'health-check sealops: checked',
      'test-seal seal-pdf: checked',
    ]);
  });

  it('the sealops command line runs the incident commands', async () => {
    const cli = resolve(fileURLToPath(import.meta.url), '../../../runbooks/cli.js');
    const child = spawn(process.execPath, [cli, 'status', '--json'], {
      env: { ...process.env, SEALOPS_STATE_DIR: stack.stateDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const [code] = (await once(child, 'exit')) as [number];

    assert.equal(code, 0);
    const printed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ContainmentStatus;
    assert.equal(printed.incident?.status, 'closed');
    assert.match(
      await readFile(join(stack.stateDir, 'audit', 'runbooks.jsonl'), 'utf8'),
      /"runbook":"status"/,
    );
  });
});
