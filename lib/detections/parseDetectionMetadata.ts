import type { DetectionDefinition } from './DetectionDefinition.js';
import { isoDurationToMilliseconds } from './isoDuration.js';
import { isWorkspaceTableName, type WorkspaceTableName } from './workspaceSchema.js';

/** A detection's metadata, everything in `kql/<id>.json`; the loader adds the query text. */
export type DetectionMetadata = DistributiveOmit<DetectionDefinition, 'query'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const severities = ['Informational', 'Low', 'Medium', 'High'] as const;
const kinds = ['detection', 'hunting'] as const;
const triggerOperators = ['gt', 'lt', 'eq', 'ne'] as const;
const mitreTactics = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
] as const;

const commonFields = [
  'id',
  'title',
  'description',
  'severity',
  'kind',
  'tables',
  'queryPeriod',
  'runbook',
  'mitre',
  'groupBy',
];
const detectionFields = [
  'queryFrequency',
  'triggerOperator',
  'triggerThreshold',
  'suppression',
  'automaticContainment',
];

const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const columnPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const runbookPattern = /^runbooks\/[A-Za-z0-9._/-]+\.md(?:#[a-z0-9-]+)?$/;
const techniquePattern = /^T\d{4}(?:\.\d{3})?$/;

const minute = 60_000 as const;
const fourteenDays = 14 * 24 * 60 * minute;

/**
 * Checks the parsed JSON of `kql/<expectedId>.json` and returns it typed, or the list of
 * problems, one clause each, when it is not a valid detection or hunting query definition.
 *
 * Limits follow Sentinel's rule validator where they exist: `queryFrequency` and `queryPeriod`
 * from 1 minute (Azure Monitor log alerts allow 1; Sentinel 5) to 14 days, period not shorter
 * than frequency, `triggerThreshold` 0 to 10000.
 */
export function parseDetectionMetadata(
  json: unknown,
  expectedId: string,
): { metadata: DetectionMetadata } | { problems: string[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { problems: ['the file must hold one JSON object'] };
  }
  const fields = json as Record<string, unknown>;
  const problems: string[] = [];
  const kind = oneOf(fields, 'kind', kinds, problems);
  const isDetection = kind === 'detection';

  for (const name of Object.keys(fields)) {
    if (detectionFields.includes(name) && kind === 'hunting') {
      problems.push(`${name} applies to detections only, not to hunting queries`);
    } else if (!commonFields.includes(name) && !detectionFields.includes(name)) {
      problems.push(`unknown field ${name}`);
    }
  }

  const id = text(fields, 'id', problems);
  if (id !== undefined && !idPattern.test(id)) problems.push('id must be kebab-case');
  if (id !== undefined && id !== expectedId) {
    problems.push(`id is ${id} but the file is named ${expectedId}`);
  }
  const title = text(fields, 'title', problems);
  const description = text(fields, 'description', problems);
  const severity = oneOf(fields, 'severity', severities, problems);
  const tables = tableList(fields, problems);
  const queryPeriod = duration(fields, 'queryPeriod', minute, problems);
  const groupBy = columnList(fields, 'groupBy', problems);
  const runbook = optionalRunbook(fields, isDetection, problems);
  const mitre = optionalMitre(fields, problems);

  const common = {
    id: id ?? '',
    title: title ?? '',
    description: description ?? '',
    severity: severity ?? 'Informational',
    tables,
    queryPeriod: queryPeriod ?? '',
    groupBy,
    ...(runbook === undefined ? {} : { runbook }),
    ...(mitre === undefined ? {} : { mitre }),
  };

  if (!isDetection) {
    return problems.length > 0 ? { problems } : { metadata: { ...common, kind: 'hunting' } };
  }

  const queryFrequency = duration(fields, 'queryFrequency', minute, problems);
  const periodMs = isoDurationToMilliseconds(queryPeriod ?? '');
  const frequencyMs = isoDurationToMilliseconds(queryFrequency ?? '');
  if (periodMs !== undefined && frequencyMs !== undefined && periodMs < frequencyMs) {
    problems.push('queryPeriod must not be shorter than queryFrequency');
  }
  const triggerOperator = oneOf(fields, 'triggerOperator', triggerOperators, problems);
  const triggerThreshold = fields['triggerThreshold'];
  if (
    typeof triggerThreshold !== 'number' ||
    !Number.isInteger(triggerThreshold) ||
    triggerThreshold < 0 ||
    triggerThreshold > 10_000
  ) {
    problems.push('triggerThreshold must be an integer from 0 to 10000');
  }
  const suppression = duration(fields, 'suppression', 0, problems);
  const automaticContainment = optionalContainment(fields, groupBy, problems);

  if (problems.length > 0) return { problems };
  return {
    metadata: {
      ...common,
      kind: 'detection',
      queryFrequency: queryFrequency ?? '',
      triggerOperator: triggerOperator ?? 'gt',
      triggerThreshold: triggerThreshold as number,
      suppression: suppression ?? '',
      ...(automaticContainment === undefined ? {} : { automaticContainment }),
    },
  };
}

function text(fields: Record<string, unknown>, name: string, problems: string[]) {
  const value = fields[name];
  if (typeof value === 'string' && value.trim().length > 0) return value;
  problems.push(`${name} must be a non-empty string`);
  return undefined;
}

function oneOf<T extends string>(
  fields: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  problems: string[],
): T | undefined {
  const value = fields[name];
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')}`);
  return undefined;
}

function duration(
  fields: Record<string, unknown>,
  name: string,
  minimumMs: 0 | typeof minute,
  problems: string[],
): string | undefined {
  const value = fields[name];
  const ms = typeof value === 'string' ? isoDurationToMilliseconds(value) : undefined;
  if (ms === undefined) {
    problems.push(`${name} must be an ISO 8601 duration of days, hours, minutes or seconds`);
    return undefined;
  }
  if (ms < minimumMs || ms > fourteenDays) {
    problems.push(`${name} must be from ${minimumMs === 0 ? 'zero' : '1 minute'} to 14 days`);
    return undefined;
  }
  return value as string;
}

function tableList(fields: Record<string, unknown>, problems: string[]): WorkspaceTableName[] {
  const value = fields['tables'];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((table): table is WorkspaceTableName => isWorkspaceTableName(String(table))) ||
    new Set(value).size !== value.length
  ) {
    problems.push(
      'tables must list the workspace tables read, each once: AppEvents, AppRequests, ' +
        'AppServiceHTTPLogs',
    );
    return [];
  }
  return [...value].sort();
}

function columnList(fields: Record<string, unknown>, name: string, problems: string[]): string[] {
  const value = fields[name];
  if (
    !Array.isArray(value) ||
    !value.every(
      (column): column is string => typeof column === 'string' && columnPattern.test(column),
    ) ||
    new Set(value).size !== value.length
  ) {
    problems.push(`${name} must be a list of distinct column names (empty for one alert per run)`);
    return [];
  }
  return value;
}

function optionalRunbook(
  fields: Record<string, unknown>,
  required: boolean,
  problems: string[],
): string | undefined {
  const value = fields['runbook'];
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && runbookPattern.test(value)) return value;
  problems.push(
    `runbook must name a runbook section such as runbooks/contain.md#block-addresses` +
      (required ? ' (detections need one)' : ''),
  );
  return undefined;
}

function optionalMitre(fields: Record<string, unknown>, problems: string[]) {
  const value = fields['mitre'];
  if (value === undefined) return undefined;
  const mitre = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const tactics = mitre['tactics'];
  const techniques = mitre['techniques'];
  const validTactics =
    Array.isArray(tactics) &&
    tactics.length > 0 &&
    tactics.every((tactic) => (mitreTactics as readonly unknown[]).includes(tactic));
  const validTechniques =
    Array.isArray(techniques) &&
    techniques.every(
      (technique) => typeof technique === 'string' && techniquePattern.test(technique),
    );
  const extra = Object.keys(mitre).filter((key) => key !== 'tactics' && key !== 'techniques');
  if (!validTactics || !validTechniques || extra.length > 0) {
    problems.push(
      'mitre must be { tactics: [ATT&CK tactic names such as CredentialAccess], ' +
        'techniques: [IDs such as T1110 or T1110.001] }',
    );
    return undefined;
  }
  return { tactics: tactics as string[], techniques: techniques as string[] };
}

function optionalContainment(
  fields: Record<string, unknown>,
  groupBy: readonly string[],
  problems: string[],
) {
  const value = fields['automaticContainment'];
  if (value === undefined) return undefined;
  const containment = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const column = containment['column'];
  if (
    containment['action'] !== 'block-address' ||
    typeof column !== 'string' ||
    !groupBy.includes(column) ||
    Object.keys(containment).length !== 2
  ) {
    problems.push(
      "automaticContainment must be { action: 'block-address', column } with column one of groupBy",
    );
    return undefined;
  }
  return { action: 'block-address' as const, column };
}
