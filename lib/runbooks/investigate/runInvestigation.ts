import type { HuntingQuery } from '../../detections/DetectionDefinition.js';
import type { LogQuerySource } from '../../detections/LogQuerySource.js';
import { rowsAsObjects, type QueryCell } from '../../detections/QueryResult.js';
import type { AddressRange } from '../AddressRange.js';

/** The hunting queries in kql/ an investigation runs, in the order the report shows them. */
export const evidenceQueryIds = [
  'evidence-calls-by-address',
  'callers-by-address-and-key',
  'evidence-keys-used',
  'evidence-failures-by-reason',
  'failed-auth-timeline',
] as const;

/** The window and the filters an investigation covers. */
export interface InvestigationRequest {
  readonly start: Date;
  readonly end: Date;
  /** Only rows about addresses in this range. */
  readonly address?: AddressRange;
  /** Only rows about this signing key ID. */
  readonly keyId?: string;
}

/** One query's part of the report. `Failed`: it could not run; the others still did. */
export interface InvestigationSection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly runbook?: string;
  readonly status: 'Success' | 'PartialFailure' | 'Failed';
  /** Why the result is partial or missing, in the source's words. */
  readonly problem?: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, QueryCell>[];
}

/** The whole investigation: what a person reads (rendered) and a tool reads (as JSON). */
export interface Investigation {
  readonly app: string;
  readonly generatedAt: string;
  readonly generatedBy: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly filters: { readonly address?: string; readonly keyId?: string };
  readonly summary: {
    /** Every client address in the sections' rows. */
    readonly addresses: readonly string[];
    /** Every signing key ID in the sections' rows. */
    readonly keyIds: readonly string[];
    /** Failures and refusals counted by evidence-failures-by-reason. */
    readonly failures: number;
    /** Queries that failed or came back partial. */
    readonly incompleteQueries: readonly string[];
  };
  readonly sections: readonly InvestigationSection[];
}

/** What {@link runInvestigation} reads from. */
export interface InvestigationContext {
  readonly app: string;
  readonly actor: string;
  readonly source: LogQuerySource;
  /** The hunting queries, as `loadDetections()` reads them from kql/. */
  readonly queries: readonly HuntingQuery[];
  readonly clock?: () => Date;
}

/**
 * Runs the evidence queries over the window and gathers the rows, narrowed to an address range or
 * a key ID when asked (narrowed here rather than in KQL, so the same query text runs on Azure and
 * locally). A query that fails is reported in its section; the investigation still completes.
 */
export async function runInvestigation(
  request: InvestigationRequest,
  context: InvestigationContext,
): Promise<Investigation> {
  const now = (context.clock ?? (() => new Date()))();
  const sections: InvestigationSection[] = [];
  for (const id of evidenceQueryIds) {
    const query = context.queries.find((candidate) => candidate.id === id);
    if (query === undefined) {
      sections.push({
        id,
        title: id,
        description: '',
        status: 'Failed',
        problem: `kql/${id}.kql is missing`,
        columns: [],
        rows: [],
      });
      continue;
    }
    sections.push(await runSection(query, request, context.source));
  }

  return {
    app: context.app,
    generatedAt: now.toISOString(),
    generatedBy: context.actor,
    window: { start: request.start.toISOString(), end: request.end.toISOString() },
    filters: {
      ...(request.address ? { address: request.address.cidr } : {}),
      ...(request.keyId ? { keyId: request.keyId } : {}),
    },
    summary: summarise(sections),
    sections,
  };
}

async function runSection(
  query: HuntingQuery,
  request: InvestigationRequest,
  source: LogQuerySource,
): Promise<InvestigationSection> {
  const base = {
    id: query.id,
    title: query.title,
    description: query.description,
    ...(query.runbook ? { runbook: query.runbook } : {}),
  };
  try {
    const result = await source.query(query.query, {
      startTime: request.start,
      endTime: request.end,
    });
    const table = result.tables[0];
    const rows = table ? rowsAsObjects(table).filter((row) => matches(row, request)) : [];
    return {
      ...base,
      status: result.status,
      ...(result.status === 'PartialFailure' ? { problem: result.partialError.message } : {}),
      columns: table?.columns.map((column) => column.name) ?? [],
      rows,
    };
  } catch (error) {
    return { ...base, status: 'Failed', problem: (error as Error).message, columns: [], rows: [] };
  }
}

function matches(row: Record<string, QueryCell>, request: InvestigationRequest): boolean {
  const { address, keyId } = request;
  if (address !== undefined && !addressesOf(row).some((value) => address.contains(value)))
    return false;
  if (keyId !== undefined && !keyIdsOf(row).includes(keyId)) return false;
  return true;
}

function addressesOf(row: Record<string, QueryCell>): string[] {
  return [...strings(row.ClientIp), ...strings(row.Addresses)];
}

function keyIdsOf(row: Record<string, QueryCell>): string[] {
  return [...strings(row.KeyId), ...strings(row.KeyIds)];
}

function strings(cell: QueryCell | undefined): string[] {
  if (typeof cell === 'string') return cell === '' ? [] : [cell];
  if (Array.isArray(cell))
    return cell.filter((item): item is string => typeof item === 'string' && item !== '');
  return [];
}

function summarise(sections: readonly InvestigationSection[]): Investigation['summary'] {
  const addresses = new Set<string>();
  const keyIds = new Set<string>();
  let failures = 0;
  for (const section of sections) {
    for (const row of section.rows) {
      addressesOf(row).forEach((address) => addresses.add(address));
      keyIdsOf(row).forEach((keyId) => keyIds.add(keyId));
      if (section.id === 'evidence-failures-by-reason' && typeof row.Events === 'number') {
        failures += row.Events;
      }
    }
  }
  return {
    addresses: [...addresses].sort(),
    keyIds: [...keyIds].sort(),
    failures,
    incompleteQueries: sections.filter((s) => s.status !== 'Success').map((s) => s.id),
  };
}
