import type { QueryCell } from '../../detections/QueryResult.js';
import type { Investigation, InvestigationSection } from './runInvestigation.js';

/** Rows shown per section; the JSON file keeps them all. */
const maxRowsShown = 50;

/**
 * The investigation as a Markdown report a responder reads top to bottom: what was looked at, the
 * summary, then one table per evidence query with the runbook section that explains it.
 */
export function renderInvestigationMarkdown(investigation: Investigation): string {
  const { summary, filters } = investigation;
  const lines = [
    `# Investigation: ${investigation.app}`,
    '',
    `- Window: ${investigation.window.start} to ${investigation.window.end} (UTC)`,
    `- Filters: ${describeFilters(filters)}`,
    `- Generated ${investigation.generatedAt} by ${investigation.generatedBy}`,
    '',
    '## Summary',
    '',
    `- Client addresses seen: ${list(summary.addresses)}`,
    `- Signing key IDs seen: ${list(summary.keyIds)}`,
    `- Failures and refusals recorded: ${summary.failures}`,
    summary.incompleteQueries.length === 0
      ? '- Every query completed.'
      : `- **Incomplete:** ${summary.incompleteQueries.join(', ')}: read their sections before concluding anything is absent.`,
    '',
    'Next: block addresses with `sealops contain --block`, disable a key with',
    '`sealops contain --disable-signing-key`, see runbooks/contain.md.',
    '',
  ];
  for (const section of investigation.sections) lines.push(...renderSection(section), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderSection(section: InvestigationSection): string[] {
  const lines = [`## ${section.title}`, '', section.description];
  if (section.runbook) lines.push('', `Runbook: ${section.runbook}`);
  lines.push('', `Query: kql/${section.id}.kql`, '');
  if (section.status === 'Failed')
    return [...lines, `**The query failed:** ${section.problem ?? ''}`];
  if (section.status === 'PartialFailure') {
    lines.push(`**Partial result:** ${section.problem ?? ''}`, '');
  }
  if (section.rows.length === 0) return [...lines, 'No rows.'];

  lines.push(
    `| ${section.columns.join(' | ')} |`,
    `| ${section.columns.map(() => '---').join(' | ')} |`,
  );
  for (const row of section.rows.slice(0, maxRowsShown)) {
    lines.push(`| ${section.columns.map((column) => cell(row[column] ?? null)).join(' | ')} |`);
  }
  if (section.rows.length > maxRowsShown) {
    lines.push('', `${section.rows.length - maxRowsShown} more row(s) in the JSON file.`);
  }
  return lines;
}

function describeFilters(filters: Investigation['filters']): string {
  const parts = [
    ...(filters.address ? [`address ${filters.address}`] : []),
    ...(filters.keyId ? [`key ID ${filters.keyId}`] : []),
  ];
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

function cell(value: QueryCell): string {
  const text =
    value === null
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : Array.isArray(value)
          ? (value as readonly QueryCell[]).map((item) => cell(item)).join(', ')
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
  // A pipe or a newline in a value (a user agent) would break the table.
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
