import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DetectionDefinition } from '../../../lib/detections/DetectionDefinition.js';
import { InMemoryLogQuerySource } from '../../../lib/detections/InMemoryLogQuerySource.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';
import { runDetection } from '../../../lib/detections/runDetection.js';
import {
  comparableRows,
  readNormalTraffic,
  readQueryFixtures,
  type FixtureCase,
} from './detectionFixtures.js';

const definitions = await loadDetections();
const fixtures = await readQueryFixtures();
const normalTraffic = await readNormalTraffic();

async function run(definition: DetectionDefinition, fixture: Pick<FixtureCase, 'now' | 'tables'>) {
  const source = new InMemoryLogQuerySource(fixture.tables, { now: () => new Date(fixture.now) });
  if (definition.kind === 'detection') {
    const run = await runDetection(definition, source);
    return { fired: run.fired, rows: comparableRows(run.table), status: run.result.status };
  }
  const result = await source.query(definition.query, { duration: definition.queryPeriod });
  const table = result.tables[0];
  assert.ok(table !== undefined, 'the result has a table');
  return { fired: undefined, rows: comparableRows(table), status: result.status };
}

describe('detection fixtures', () => {
  it('cover every query in kql/, with a firing and a quiet case for every detection', () => {
    assert.deepEqual(
      fixtures.map((fixture) => fixture.query),
      definitions.map((definition) => definition.id),
    );
    for (const definition of definitions.filter((each) => each.kind === 'detection')) {
      const cases = fixtures.find((fixture) => fixture.query === definition.id)?.cases ?? [];
      assert.ok(
        cases.some((each) => each.expect.fires === true),
        `${definition.id} fires somewhere`,
      );
      assert.ok(
        cases.some((each) => each.expect.fires === false),
        `${definition.id} is quiet somewhere`,
      );
    }
  });

  for (const fixture of fixtures) {
    const definition = definitions.find((each) => each.id === fixture.query);
    describe(fixture.query, () => {
      for (const fixtureCase of fixture.cases) {
        it(fixtureCase.name, async () => {
          assert.ok(definition !== undefined, `kql/${fixture.query}.kql exists`);
          const outcome = await run(definition, fixtureCase);
          assert.equal(outcome.status, 'Success');
          assert.equal(outcome.fired, fixtureCase.expect.fires);
          assert.deepEqual(outcome.rows, fixtureCase.expect.rows);
        });
      }
    });
  }
});

describe('a day of normal traffic', () => {
  for (const definition of definitions.filter((each) => each.kind === 'detection')) {
    it(`raises no ${definition.id} alert`, async () => {
      const outcome = await run(definition, normalTraffic);
      assert.deepEqual(outcome.rows, []);
      assert.equal(outcome.fired, false);
    });
  }

  it('still gives analysts rows from every hunting query', async () => {
    for (const definition of definitions.filter((each) => each.kind === 'hunting')) {
      const outcome = await run(definition, normalTraffic);
      assert.ok(outcome.rows.length > 0, `${definition.id} returns rows`);
    }
  });
});
