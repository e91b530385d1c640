import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { ArmTemplate } from '../../../lib/detections/arm/ArmTemplate.js';
import { CommandError } from '../../../runbooks/CommandError.js';
import { runDetections } from '../../../runbooks/commands/detections.js';
import { refusedRequestRows } from '../../support/httpLogRows.js';

const cli = fileURLToPath(new URL('../../../runbooks/cli.js', import.meta.url));

/**
 * Runs `sealops detections ...` in this process (the analyzer then loads once for all cases):
 * the exit code the CLI would set, what it printed, and the message of a command error.
 */
async function detections(args: string[]) {
  const printed: string[] = [];
  const log = mock.method(console, 'log', (line: unknown) => void printed.push(String(line)));
  let code: number;
  let stderr = '';
  try {
    await runDetections(args);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    code = error.exitCode;
    stderr = `sealops detections: ${error.message}\n`;
  } finally {
    log.mock.restore();
    process.exitCode = 0;
  }
  return { code, stdout: printed.map((line) => `${line}\n`).join(''), stderr };
}

/** `count` HTTP-log rows of refused requests from `address`, as JSON lines of the local log. */
function refusals(address: string, count: number, end: Date): string {
  return refusedRequestRows(address, count, end)
    .map((row) => JSON.stringify(row))
    .join('\n');
}

describe('sealops detections', () => {
  let dir: string;
  const now = new Date('2025-03-01T12:00:00Z');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-detections-cli-'));
    await mkdir(join(dir, 'log'));
    await writeFile(
      join(dir, 'log', 'AppServiceHTTPLogs.jsonl'),
      `${refusals('203.0.113.7', 12, now)}\n`,
    );
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    process.exitCode = 0;
  });

  it('check, run from the sealops command line, passes every query in kql/ through the analyzer and the lint', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'detections', 'check'], {
      env: { PATH: process.env.PATH ?? '' },
    });

    assert.match(stdout, /^ok {3}failed-auth-burst$/m);
    assert.match(stdout, /^15 queries checked, all clean\.$/m);
  });

  it('check fails and names the analyzer diagnostic for a query with a misspelled column', async () => {
    const broken = join(dir, 'broken-kql');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'probe.kql'), 'AppEvents\n| where Nmae == "ApiAuthFailure"\n');
    await writeFile(
      join(broken, 'probe.json'),
      JSON.stringify({
        id: 'probe',
        title: 'Probe',
        description: 'A broken query.',
        severity: 'Low',
        kind: 'hunting',
        tables: ['AppEvents'],
        queryPeriod: 'PT1H',
        groupBy: [],
      }),
    );

    const result = await detections(['check', '--dir', broken]);

    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL probe$/m);
    assert.match(result.stdout, /^ {5}error KS142 \(line 2, column 9\): .*Nmae/m);
    assert.match(result.stdout, /^1 queries checked, 1 with problems\.$/m);
  });

  it('run reports a firing detection over the local log with its rows', async () => {
    const result = await detections([
      'run',
      '--id',
      'failed-auth-burst',
      '--log-dir',
      join(dir, 'log'),
      '--now',
      now.toISOString(),
    ]);

    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'failed-auth-burst (detection, High): FIRES, 1 row');
    assert.match(lines[1] ?? '', /^ {2}ClientIp +Failures +AppFailures +HttpFailures +Reasons/);
    assert.match(lines[2] ?? '', /^ {2}203\.0\.113\.7 +12 +0 +12 +\["http_401"\]/);
  });

  it('run --json gives each query’s verdict and rows, quiet ones included', async () => {
    const result = await detections([
      'run',
      '--json',
      '--id',
      'seal-error-rate',
      '--id',
      'failed-auth-timeline',
      '--log-dir',
      join(dir, 'log'),
      '--now',
      now.toISOString(),
    ]);

    assert.equal(result.code, 0, result.stderr);
    const reports = JSON.parse(result.stdout) as { id: string; fires?: boolean; rows: unknown[] }[];
    assert.deepEqual(
      reports.map((report) => [report.id, report.fires, report.rows.length]),
      [
        ['failed-auth-timeline', undefined, 2],
        ['seal-error-rate', false, 0],
      ],
    );
  });

  it('run refuses a query ID that kql/ does not have', async () => {
    const result = await detections([
      'run',
      '--id',
      'no-such-query',
      '--log-dir',
      join(dir, 'log'),
    ]);

    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'sealops detections: No query named no-such-query in kql/.\n');
  });

  it('render writes the ARM template and names every rule and every shortened window', async () => {
    const out = join(dir, 'rendered');
    const result = await detections(['render', '--out', out]);

    assert.equal(result.code, 0, result.stderr);
    const template = JSON.parse(
      await readFile(join(out, 'alert-rules.json'), 'utf8'),
    ) as ArmTemplate;
    assert.equal(template.resources.length, 10);
    assert.match(result.stdout, /^Wrote 10 alert rules to .*alert-rules\.json:$/m);
    assert.match(
      result.stdout,
      /^ {2}sealops-failed-auth-burst {2}Microsoft\.Insights\/scheduledQueryRules$/m,
    );
    assert.match(
      result.stdout,
      /^ {2}sealops-http-server-errors {2}Microsoft\.Insights\/metricAlerts$/m,
    );
    assert.equal(result.stdout.match(/^warning: .*looks back P2D only/gm)?.length, 3);
  });

  it('apply without --yes shows the plan and the az command, and changes nothing', async () => {
    const subscription = '11111111-2222-4333-8444-555555555555';
    const workspace = `/subscriptions/${subscription}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law`;
    const app = `/subscriptions/${subscription}/resourceGroups/rg-sealops/providers/Microsoft.Web/sites/sealops`;

    const result = await detections([
      'apply',
      '--subscription',
      subscription,
      '--resource-group',
      'rg-sealops',
      '--workspace-resource-id',
      workspace,
      '--function-app-resource-id',
      app,
    ]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Plan: deploy 10 alert rules to resource group rg-sealops \(subscription 11111111-2222-4333-8444-555555555555\) as deployment sealops-alert-rules, Incremental mode:$/m,
    );
    assert.match(result.stdout, /^Nothing changed\. Pass --yes to deploy/m);
    assert.ok(
      result.stdout.includes(
        `az deployment group create --subscription ${subscription} --resource-group rg-sealops ` +
          '--name sealops-alert-rules --mode Incremental --template-file DIR/alert-rules.json ' +
          `--parameters workspaceResourceId=${workspace} functionAppResourceId=${app}`,
      ),
      result.stdout,
    );
  });

  it('apply refuses a workspace given by name instead of ARM ID', async () => {
    const result = await detections([
      'apply',
      '--subscription',
      's',
      '--resource-group',
      'rg',
      '--workspace-resource-id',
      'law',
      '--function-app-resource-id',
      'app',
    ]);

    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      'sealops detections: --workspace-resource-id must be an ARM resource ID (/subscriptions/...).\n',
    );
  });
});
