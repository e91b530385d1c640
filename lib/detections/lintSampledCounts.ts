import type { KqlAnalysis } from './analyzeKql.js';
import { positionAt } from './errors/SourcePosition.js';
import type { KqlProblem } from './KqlProblem.js';
import { loadKustoLanguage } from './kusto/loadKustoLanguage.js';
import type { WorkspaceTableName } from './workspaceSchema.js';

// Application Insights may sample: one stored row then stands for ItemCount events, so count()
// under-counts and a threshold silently moves. The HTTP log is not sampled.
const sampledTables: ReadonlySet<WorkspaceTableName> = new Set(['AppEvents', 'AppRequests']);
const rowCountingAggregates = new Set(['count', 'countif']);

/**
 * Reports `count()` and `countif()` in a query that reads a sampled table (AppEvents,
 * AppRequests): count with `sum(ItemCount)` / `sumif(ItemCount, …)` instead. The check is per
 * query, not per table: where an unsampled table is counted in the same query, project a count
 * column (`Events = tolong(1)`) and sum it.
 */
export function lintSampledCounts(analysis: KqlAnalysis): KqlProblem[] {
  const readsSampled = analysis.tablesRead.filter((table) => sampledTables.has(table));
  if (readsSampled.length === 0) return [];

  const kusto = loadKustoLanguage();
  const problems: KqlProblem[] = [];
  kusto.Syntax.SyntaxElement.WalkNodes(analysis.code.Syntax, (node) => {
    if (!(node instanceof kusto.Syntax.FunctionCallExpression)) return;
    const name = node.ReferencedSymbol?.Name ?? '';
    if (!rowCountingAggregates.has(name)) return;
    problems.push({
      source: 'lint',
      code: 'KQL_LINT_SAMPLED_COUNT',
      severity: 'error',
      message:
        `${name}() counts stored rows, but ${readsSampled.join(' and ')} may be sampled; use ` +
        `${name === 'count' ? 'sum(ItemCount)' : 'sumif(ItemCount, condition)'} so thresholds ` +
        'hold under sampling.',
      position: positionAt(analysis.query, node.TextStart),
    });
  });
  return problems;
}
