import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import type { TelemetryTables } from '../../../lib/detections/evaluateKql.js';
import {
  rowsAsObjects,
  type QueryCell,
  type QueryTable,
} from '../../../lib/detections/QueryResult.js';

/**
 * The detection fixtures: `test/fixtures/detections/<query id>.json` holds cases, each with a
 * fixed `now`, JSON rows per workspace table and the expected result (`fires` for detections,
 * and the exact `rows`); `normal-traffic.json` holds one day of ordinary traffic.
 */
export const fixturesDirectory = fileURLToPath(
  new URL('../../../../test/fixtures/detections/', import.meta.url),
);

export interface FixtureCase {
  readonly name: string;
  readonly now: string;
  readonly tables: TelemetryTables;
  readonly expect: {
    readonly fires?: boolean;
    readonly rows: readonly Record<string, unknown>[];
  };
}

export interface QueryFixture {
  readonly query: string;
  readonly cases: readonly FixtureCase[];
}

export interface TrafficFixture {
  readonly now: string;
  readonly tables: TelemetryTables;
}

export async function readQueryFixtures(): Promise<QueryFixture[]> {
  const files = (await readdir(fixturesDirectory)).filter(
    (file) => file.endsWith('.json') && file !== 'normal-traffic.json',
  );
  return Promise.all(
    files
      .sort()
      .map(
        async (file) =>
          JSON.parse(await readFile(fixturesDirectory + file, 'utf8')) as QueryFixture,
      ),
  );
}

export async function readNormalTraffic(): Promise<TrafficFixture> {
  return JSON.parse(
    await readFile(`${fixturesDirectory}normal-traffic.json`, 'utf8'),
  ) as TrafficFixture;
}

/** A result table's rows as objects, datetimes as ISO 8601 text, ready to compare with JSON. */
export function comparableRows(table: QueryTable): Record<string, unknown>[] {
  const plain = (cell: QueryCell): unknown => (cell instanceof Date ? cell.toISOString() : cell);
  return rowsAsObjects(table).map((row) =>
    Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, plain(cell)])),
  );
}
