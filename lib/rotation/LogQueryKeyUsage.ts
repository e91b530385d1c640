import type { LogQuerySource } from '../detections/LogQuerySource.js';
import { rowsAsObjects } from '../detections/QueryResult.js';
import { KeyUsageUnavailableError } from './errors/KeyUsageUnavailableError.js';
import type { KeyUsage, KeyUsageSource } from './KeyUsageSource.js';

const keyIdPattern = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;

/**
 * {@link KeyUsageSource} over a detections {@link LogQuerySource}: counts `ApiKeyUsed` events of a
 * key ID in `AppEvents`, the same rows the key-usage detections read.
 *
 * NOTE: Log Analytics ingests with a delay of minutes; the quiet period (24 hours by default) is
 * what makes a missing late row harmless.
 */
export class LogQueryKeyUsage implements KeyUsageSource {
  readonly #source: LogQuerySource;

  constructor(source: LogQuerySource) {
    this.#source = source;
  }

  async usage(keyId: string, since: Date, until: Date): Promise<KeyUsage> {
    // Key IDs are checked against a strict pattern, so quoting them into KQL is safe.
    if (!keyIdPattern.test(keyId)) throw new KeyUsageUnavailableError(keyId, 'not a key ID');
    const query = [
      'AppEvents',
      '| where Name == "ApiKeyUsed"',
      `| where tostring(Properties.keyId) == "${keyId}"`,
      '| summarize Uses = sum(ItemCount), LastUse = max(TimeGenerated)',
    ].join('\n');
    let result;
    try {
      result = await this.#source.query(query, { startTime: since, endTime: until });
    } catch (error) {
      throw new KeyUsageUnavailableError(
        keyId,
        `the log query failed: ${(error as Error).message}`,
      );
    }
    if (result.status === 'PartialFailure') {
      throw new KeyUsageUnavailableError(
        keyId,
        `the log query was partial: ${result.partialError.message}`,
      );
    }
    const [table] = result.tables;
    const [row] = table === undefined ? [] : rowsAsObjects(table);
    const uses = typeof row?.Uses === 'number' ? row.Uses : 0;
    const lastUse = row?.LastUse;
    return {
      uses,
      ...(uses > 0 && lastUse instanceof Date ? { lastUsedAt: lastUse } : {}),
    };
  }
}
