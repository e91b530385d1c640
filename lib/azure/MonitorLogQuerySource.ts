import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import {
  LogsQueryClient,
  LogsQueryResultStatus,
  type LogsQueryClientOptions,
  type LogsTable,
} from '@azure/monitor-query-logs';

import type { LogQuerySource, QueryTimespan } from '../detections/LogQuerySource.js';
import type { QueryCell, QueryResult, QueryTable } from '../detections/QueryResult.js';
import { LogQueryFailedError } from './errors/LogQueryFailedError.js';

/** Options of {@link MonitorLogQuerySource}: those of `LogsQueryClient`, plus the server timeout. */
export interface MonitorLogQuerySourceOptions extends LogsQueryClientOptions {
  /**
   * How long Log Analytics may run one query before it gives up, in seconds (the `Prefer: wait`
   * header). The timer runs every minute, so a detection must not hold it for long.
   * @default 60
   */
  readonly serverTimeoutInSeconds?: number;
}

/**
 * A {@link LogQuerySource} over a Log Analytics workspace through `@azure/monitor-query-logs`
 * (`queryWorkspace`): the detections' source on Azure. Queries read the workspace tables
 * (`AppEvents`, `AppServiceHTTPLogs`, ...), not the classic Application Insights names.
 *
 * A partial failure is returned as a `PartialFailure` result carrying the tables that came back;
 * a query that could not run at all rejects with {@link LogQueryFailedError}.
 *
 * Needs the Log Analytics Reader role on the workspace for the identity `credential` stands for.
 */
export class MonitorLogQuerySource implements LogQuerySource {
  readonly #client: LogsQueryClient;
  readonly #workspaceId: string;
  readonly #serverTimeoutInSeconds: number;

  /**
   * @param workspaceId - the workspace ID (a GUID, "Workspace ID" in the portal), not its ARM ID
   */
  constructor(
    workspaceId: string,
    credential: TokenCredential = new DefaultAzureCredential(),
    options: MonitorLogQuerySourceOptions = {},
  ) {
    const { serverTimeoutInSeconds = 60, ...clientOptions } = options;
    this.#client = new LogsQueryClient(credential, clientOptions);
    this.#workspaceId = workspaceId;
    this.#serverTimeoutInSeconds = serverTimeoutInSeconds;
  }

  async query(query: string, timespan: QueryTimespan): Promise<QueryResult> {
    let result;
    try {
      result = await this.#client.queryWorkspace(this.#workspaceId, query, timespan, {
        serverTimeoutInSeconds: this.#serverTimeoutInSeconds,
      });
    } catch (error) {
      throw toQueryFailure(this.#workspaceId, error);
    }

    if (result.status === LogsQueryResultStatus.PartialFailure) {
      return {
        status: 'PartialFailure',
        tables: result.partialTables.map(toQueryTable),
        partialError: { code: result.partialError.code, message: result.partialError.message },
      };
    }
    return { status: 'Success', tables: result.tables.map(toQueryTable) };
  }
}

function toQueryTable(table: LogsTable): QueryTable {
  return {
    name: table.name,
    columns: table.columnDescriptors.map((column) => ({
      name: column.name,
      type: column.type,
    })),
    // The SDK has already turned datetimes into Dates and dynamic values into parsed JSON; its
    // types leave out the nulls Kusto returns.
    rows: table.rows.map((row) => row.map((cell): QueryCell => cell ?? null)),
  };
}

interface ServiceError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
  readonly details?: { readonly error?: { readonly code?: string; readonly message?: string } };
}

function toQueryFailure(workspaceId: string, error: unknown): LogQueryFailedError {
  const failure = (error ?? {}) as ServiceError;
  const service = failure.details?.error;
  return new LogQueryFailedError(
    workspaceId,
    failure.statusCode,
    service?.code ?? failure.code,
    service?.message ?? failure.message,
  );
}
