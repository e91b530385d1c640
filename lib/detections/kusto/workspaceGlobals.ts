import { workspaceTables } from '../workspaceSchema.js';
import { loadKustoLanguage } from './loadKustoLanguage.js';

let globals: Kusto.Language.GlobalState | undefined;

/** The name of the database that holds the workspace tables in the analyzer's global state. */
export const workspaceDatabaseName = 'workspace';

/**
 * The analyzer's global state with the workspace tables declared, built once per process (about
 * half a second) and shared by every analysis after that.
 */
export function workspaceGlobals(): Kusto.Language.GlobalState {
  if (globals !== undefined) return globals;
  const kusto = loadKustoLanguage();
  const tables = Object.entries(workspaceTables).map(([name, columns]) => {
    const schema = `(${columns.map((column) => `['${column.name}']:${column.type}`).join(', ')})`;
    return new kusto.Symbols.TableSymbol.$ctor7(name, schema, '');
  });
  const database = new kusto.Symbols.DatabaseSymbol.ctor(workspaceDatabaseName, tables);
  const state = kusto.GlobalState.Default?.WithDatabase(database);
  if (state == null) throw new Error('Kusto.Language returned no global state for the workspace.');
  globals = state;
  return globals;
}
