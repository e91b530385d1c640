import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { checkDetection } from '../../lib/detections/checkDetection.js';
import type {
  DetectionDefinition,
  ScheduledDetection,
} from '../../lib/detections/DetectionDefinition.js';
import { renderAlertRulesTemplate } from '../../lib/detections/arm/renderAlertRulesTemplate.js';
import { loadDetections } from '../../lib/detections/loadDetections.js';
import type { LogQuerySource, QueryTimespan } from '../../lib/detections/LogQuerySource.js';
import {
  rowsAsObjects,
  type QueryCell,
  type QueryTable,
} from '../../lib/detections/QueryResult.js';
import { triggerHolds } from '../../lib/detections/runDetection.js';
import { CommandError } from '../CommandError.js';
import { localStateDir } from '../localStateDir.js';

const help = `Usage: sealops detections <check|run|render|apply> [options]

  check   [--dir DIR]
      Checks every query in kql/ with Microsoft's Kusto analyzer and this project's lint.
      Exit code 1 when any query has a problem.

  run     [--id ID ...] [--now ISO] [--since ISO] [--workspace WORKSPACE_ID | --log-dir DIR] [--json]
      Runs the queries once and prints what they return; nothing is raised or remembered.
      Locally it reads the local log (default: $SEALOPS_TELEMETRY_DIR, else .local/telemetry);
      with --workspace it queries Log Analytics as the signed-in Azure identity.
      --now moves the clock (the local log only: Log Analytics keeps its own now() for ago());
      --since starts the time range there instead of one query period before --now.

  render  --out DIR [--dir DIR]
      Writes the detections as Azure Monitor alert rules: DIR/alert-rules.json, an ARM template
      of one scheduled query rule per detection and the Http5xx metric alert.

  apply   --subscription ID --resource-group RG --workspace-resource-id ID
          --function-app-resource-id ID [--action-group-id ID] [--deployment-name NAME] [--yes]
      Shows the rules and the equivalent az command; with --yes deploys them (Incremental mode:
      nothing else in the resource group changes) as the signed-in Azure identity.`;

/** `sealops detections`: check, run, render and apply the detections in kql/. */
export async function runDetections(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (rest.includes('--help')) return void console.log(help);
  switch (action) {
    case 'check':
      return check(rest);
    case 'run':
      return run(rest);
    case 'render':
      return render(rest);
    case 'apply':
      return apply(rest);
    case '--help':
    case undefined:
      return void console.log(help);
    default:
      throw new CommandError(help, 2);
  }
}

async function check(args: string[]): Promise<void> {
  const { values } = parse(args, { dir: { type: 'string' } });
  const definitions = await load(values.dir);
  let failed = 0;
  for (const definition of definitions) {
    const { problems } = checkDetection(definition);
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${definition.id}`);
    for (const problem of problems) {
      const where = problem.position
        ? ` (line ${problem.position.line}, column ${problem.position.column})`
        : '';
      console.log(`     ${problem.severity} ${problem.code}${where}: ${problem.message}`);
    }
    if (problems.length > 0) failed += 1;
  }
  console.log(
    `${definitions.length} queries checked, ${failed === 0 ? 'all clean' : `${failed} with problems`}.`,
  );
  if (failed > 0) process.exitCode = 1;
}

async function run(args: string[]): Promise<void> {
  const { values } = parse(args, {
    id: { type: 'string', multiple: true },
    now: { type: 'string' },
    since: { type: 'string' },
    workspace: { type: 'string' },
    'log-dir': { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'boolean' },
  });
  const now = instant(values.now, '--now') ?? new Date();
  const since = instant(values.since, '--since');
  if (since !== undefined && since.getTime() > now.getTime()) {
    throw new CommandError('--since must be before --now.', 2);
  }
  const all = await load(values.dir);
  const unknown = (values.id ?? []).filter((id) => !all.some((each) => each.id === id));
  if (unknown.length > 0)
    throw new CommandError(`No query named ${unknown.join(', ')} in kql/.`, 2);
  const selected = values.id ? all.filter((each) => values.id?.includes(each.id)) : all;
  const source = await openSource(values.workspace, values['log-dir'], now);

  const reports = [];
  for (const definition of selected) {
    const timespan: QueryTimespan = since
      ? { startTime: since, endTime: now }
      : { duration: definition.queryPeriod, endTime: now };
    try {
      const result = await source.query(definition.query, timespan);
      const table = result.tables[0] ?? { name: 'PrimaryResult', columns: [], rows: [] };
      const fired =
        definition.kind === 'detection'
          ? triggerHolds(definition.triggerOperator, table.rows.length, definition.triggerThreshold)
          : undefined;
      reports.push({
        definition,
        table,
        fired,
        ...(result.status === 'PartialFailure' ? { partial: result.partialError } : {}),
      });
    } catch (error) {
      reports.push({ definition, error: (error as Error).message });
    }
  }

  if (values.json) {
    console.log(
      JSON.stringify(
        reports.map((report) => ({
          id: report.definition.id,
          kind: report.definition.kind,
          ...('error' in report
            ? { error: report.error }
            : {
                ...(report.fired === undefined ? {} : { fires: report.fired }),
                ...(report.partial ? { partial: report.partial } : {}),
                rows: rowsAsObjects(report.table),
              }),
        })),
        null,
        2,
      ),
    );
  } else {
    for (const report of reports) {
      const { definition } = report;
      if ('error' in report) {
        console.log(`${definition.id}: ERROR ${report.error}`);
        continue;
      }
      const rows = `${report.table.rows.length} row${report.table.rows.length === 1 ? '' : 's'}`;
      const verdict = report.fired === undefined ? '' : report.fired ? 'FIRES, ' : 'quiet, ';
      console.log(
        `${definition.id} (${definition.kind}, ${definition.severity}): ${verdict}${rows}`,
      );
      if (report.partial) {
        console.log(`  partial result: ${report.partial.code}: ${report.partial.message}`);
      }
      for (const line of formatTable(report.table)) console.log(`  ${line}`);
    }
  }
  if (reports.some((report) => 'error' in report)) process.exitCode = 1;
}

async function render(args: string[]): Promise<void> {
  const { values } = parse(args, { out: { type: 'string' }, dir: { type: 'string' } });
  if (!values.out) throw new CommandError('render needs --out DIR.', 2);
  const detections = scheduled(await load(values.dir));
  const { template, warnings } = renderAlertRulesTemplate(detections);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const path = join(out, 'alert-rules.json');
  await writeFile(path, `${JSON.stringify(template, null, 2)}\n`);

  console.log(`Wrote ${template.resources.length} alert rules to ${path}:`);
  for (const resource of template.resources)
    console.log(`  ${ruleName(resource.name)}  ${resource.type}`);
  for (const warning of warnings) console.log(`warning: ${warning.detection}: ${warning.message}`);
  console.log(
    `\nDeploy it with:\n  ${azCommand(path, '<subscription>', '<resource-group>', 'sealops-alert-rules', {})}`,
  );
}

async function apply(args: string[]): Promise<void> {
  const { values } = parse(args, {
    subscription: { type: 'string' },
    'resource-group': { type: 'string' },
    'workspace-resource-id': { type: 'string' },
    'function-app-resource-id': { type: 'string' },
    'action-group-id': { type: 'string' },
    'deployment-name': { type: 'string' },
    'arm-endpoint': { type: 'string' },
    dir: { type: 'string' },
    yes: { type: 'boolean' },
  });
  const subscriptionId = required(values.subscription, '--subscription');
  const resourceGroup = required(values['resource-group'], '--resource-group');
  const parameters: Record<string, string> = {
    workspaceResourceId: armId(values['workspace-resource-id'], '--workspace-resource-id'),
    functionAppResourceId: armId(values['function-app-resource-id'], '--function-app-resource-id'),
    ...(values['action-group-id']
      ? { actionGroupId: armId(values['action-group-id'], '--action-group-id') }
      : {}),
  };
  const deploymentName = values['deployment-name'] ?? 'sealops-alert-rules';
  const { template, warnings } = renderAlertRulesTemplate(scheduled(await load(values.dir)));

  console.log(
    `Plan: deploy ${template.resources.length} alert rules to resource group ${resourceGroup} ` +
      `(subscription ${subscriptionId}) as deployment ${deploymentName}, Incremental mode:`,
  );
  for (const resource of template.resources)
    console.log(`  ${ruleName(resource.name)}  ${resource.type}`);
  for (const warning of warnings) console.log(`warning: ${warning.detection}: ${warning.message}`);
  if (!values.yes) {
    console.log(
      '\nNothing changed. Pass --yes to deploy, or run `sealops detections render --out DIR` and:\n' +
        `  ${azCommand('DIR/alert-rules.json', subscriptionId, resourceGroup, deploymentName, parameters)}`,
    );
    return;
  }

  // Loaded only here: the ARM SDK is not needed by any other command.
  const { deployAlertRules } = await import('../../lib/azure/deployAlertRules.js');
  const deployment = await deployAlertRules(
    { subscriptionId, resourceGroup, deploymentName },
    template,
    parameters,
    undefined,
    values['arm-endpoint'] ? { endpoint: values['arm-endpoint'] } : {},
  ).catch((error: unknown) => {
    throw new CommandError((error as Error).message);
  });
  console.log(`Deployment ${deployment.deploymentName}: ${deployment.provisioningState}.`);
  for (const id of deployment.resourceIds) console.log(`  ${id}`);
}

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true });
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n\n${help}`, 2);
  }
}

async function load(directory: string | undefined): Promise<DetectionDefinition[]> {
  try {
    return await loadDetections(directory ? { directory: resolve(directory) } : {});
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

function scheduled(definitions: readonly DetectionDefinition[]): ScheduledDetection[] {
  return definitions.filter(
    (definition): definition is ScheduledDetection => definition.kind === 'detection',
  );
}

async function openSource(
  workspace: string | undefined,
  logDir: string | undefined,
  now: Date,
): Promise<LogQuerySource> {
  if (workspace !== undefined) {
    const { MonitorLogQuerySource } = await import('../../lib/azure/MonitorLogQuerySource.js');
    return new MonitorLogQuerySource(workspace);
  }
  const directory =
    logDir ?? process.env.SEALOPS_TELEMETRY_DIR ?? join(localStateDir(), 'telemetry');
  const { LocalLogQuerySource } = await import('../../lib/detections/LocalLogQuerySource.js');
  return new LocalLogQuerySource(directory, { now: () => now });
}

function instant(text: string | undefined, option: string): Date | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new CommandError(`${option} is not an ISO 8601 time.`, 2);
  return new Date(time);
}

function required(value: string | undefined, option: string): string {
  if (!value) throw new CommandError(`apply needs ${option}.`, 2);
  return value;
}

function armId(value: string | undefined, option: string): string {
  const id = required(value, option);
  if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i.test(id)) {
    throw new CommandError(`${option} must be an ARM resource ID (/subscriptions/...).`, 2);
  }
  return id;
}

/** The rule's name with the default prefix, from its `[concat(prefix, 'id')]` expression. */
function ruleName(expression: string): string {
  return expression.replace(/^\[concat\(parameters\('rulePrefix'\), '(.+)'\)\]$/, 'sealops-$1');
}

function azCommand(
  templatePath: string,
  subscription: string,
  resourceGroup: string,
  name: string,
  parameters: Readonly<Record<string, string>>,
): string {
  const values = Object.entries({
    workspaceResourceId: '<workspace ARM ID>',
    functionAppResourceId: '<function app ARM ID>',
    ...parameters,
  }).map(([key, value]) => `${key}=${value}`);
  return (
    `az deployment group create --subscription ${subscription} --resource-group ${resourceGroup} ` +
    `--name ${name} --mode Incremental --template-file ${templatePath} --parameters ${values.join(' ')}`
  );
}

/** The table as aligned text lines, cells shortened to 60 characters, at most 50 rows. */
function formatTable(table: QueryTable): string[] {
  if (table.rows.length === 0) return [];
  const header = table.columns.map((column) => column.name);
  const body = table.rows.slice(0, 50).map((row) => row.map((cell) => cellText(cell)));
  const widths = header.map((name, index) =>
    Math.max(name.length, ...body.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...body.map(line)];
  if (table.rows.length > 50) lines.push(`... ${table.rows.length - 50} more rows (use --json)`);
  return lines;
}

function cellText(cell: QueryCell | undefined): string {
  let text: string;
  if (cell === null || cell === undefined) text = '';
  else if (cell instanceof Date) text = cell.toISOString();
  else if (typeof cell === 'object') text = JSON.stringify(cell);
  else text = String(cell);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
