import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DetectionDefinitionError } from '../../../lib/detections/errors/DetectionDefinitionError.js';
import { isoDurationToMilliseconds } from '../../../lib/detections/isoDuration.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';

const validMetadata = {
  id: 'probe',
  title: 'Probe',
  description: 'A detection for the tests.',
  severity: 'Low',
  kind: 'detection',
  tables: ['AppEvents'],
  queryFrequency: 'PT5M',
  queryPeriod: 'PT15M',
  triggerOperator: 'gt',
  triggerThreshold: 0,
  suppression: 'PT1H',
  runbook: 'runbooks/contain.md#block-addresses',
  groupBy: ['ClientIp'],
};

describe('loadDetections', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealops-detections-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function writePair(metadata: unknown, query = 'AppEvents | take 1', id = 'probe') {
    await rm(directory, { recursive: true, force: true });
    directory = await mkdtemp(join(tmpdir(), 'sealops-detections-'));
    if (metadata !== undefined) {
      await writeFile(join(directory, `${id}.json`), JSON.stringify(metadata));
    }
    if (query !== '') await writeFile(join(directory, `${id}.kql`), query);
  }

  async function rejection(): Promise<DetectionDefinitionError> {
    const error: unknown = await loadDetections({ directory }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof DetectionDefinitionError, 'loading fails with a definition error');
    assert.equal(error.code, 'DETECTION_DEFINITION_INVALID');
    return error;
  }

  it('reads every query of the project with its metadata, sorted by ID', async () => {
    const definitions = await loadDetections();
    const ids = definitions.map((definition) => definition.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(ids.length >= 14, 'all queries are found');

    const burst = definitions.find((definition) => definition.id === 'failed-auth-burst');
    assert.equal(burst?.kind, 'detection');
    assert.deepEqual(burst.automaticContainment, { action: 'block-address', column: 'ClientIp' });
    assert.equal(burst.queryPeriod, 'PT5M');
    assert.match(burst.query, /AppServiceHTTPLogs/);
  });

  it('reads a valid pair as typed metadata and the query text', async () => {
    await writePair(validMetadata);
    assert.deepEqual(await loadDetections({ directory }), [
      { ...validMetadata, query: 'AppEvents | take 1' },
    ]);
  });

  it('refuses a query without its metadata file', async () => {
    await writePair(undefined);
    assert.equal(
      (await rejection()).message,
      'The detection file probe.kql is invalid: it has no metadata file probe.json beside it.',
    );
  });

  it('refuses metadata without its query file', async () => {
    await writePair(validMetadata, '');
    assert.equal(
      (await rejection()).message,
      'The detection file probe.json is invalid: it has no query file probe.kql beside it.',
    );
  });

  it('refuses an empty query', async () => {
    await writePair(validMetadata, '  \n');
    assert.equal(
      (await rejection()).message,
      'The detection file probe.kql is invalid: the query is empty.',
    );
  });

  it('refuses metadata that is not JSON', async () => {
    await writePair(undefined);
    await writeFile(join(directory, 'probe.json'), '{ id: probe }');
    assert.equal(
      (await rejection()).message,
      'The detection file probe.json is invalid: it is not valid JSON.',
    );
  });

  it('lists every problem of invalid metadata in one message', async () => {
    await writePair({
      ...validMetadata,
      id: 'other',
      severity: 'Critical',
      tables: ['requests'],
      queryFrequency: 'PT1H',
      queryPeriod: 'PT5M',
      triggerThreshold: 20000,
      runbook: 'contain.md',
      automaticContainment: { action: 'block-address', column: 'CIp' },
      owner: 'soc',
    });
    assert.deepEqual((await rejection()).problems, [
      'unknown field owner',
      'id is other but the file is named probe',
      'severity must be one of Informational, Low, Medium, High',
      'tables must list the workspace tables read, each once: AppEvents, AppRequests, AppServiceHTTPLogs',
      'runbook must name a runbook section such as runbooks/contain.md#block-addresses (detections need one)',
      'queryPeriod must not be shorter than queryFrequency',
      'triggerThreshold must be an integer from 0 to 10000',
      "automaticContainment must be { action: 'block-address', column } with column one of groupBy",
    ]);
  });

  it('refuses alerting fields on a hunting query', async () => {
    const { queryFrequency, triggerOperator, triggerThreshold, ...rest } = validMetadata;
    await writePair({
      ...rest,
      kind: 'hunting',
      queryFrequency,
      triggerOperator,
      triggerThreshold,
    });
    assert.deepEqual((await rejection()).problems, [
      'suppression applies to detections only, not to hunting queries',
      'queryFrequency applies to detections only, not to hunting queries',
      'triggerOperator applies to detections only, not to hunting queries',
      'triggerThreshold applies to detections only, not to hunting queries',
    ]);
  });

  it('refuses windows outside 1 minute to 14 days and MITRE entries it does not know', async () => {
    await writePair({
      ...validMetadata,
      queryPeriod: 'P15D',
      queryFrequency: 'PT30S',
      mitre: { tactics: ['Credential Access'], techniques: ['T1110'] },
    });
    assert.deepEqual((await rejection()).problems, [
      'queryPeriod must be from 1 minute to 14 days',
      'mitre must be { tactics: [ATT&CK tactic names such as CredentialAccess], techniques: [IDs such as T1110 or T1110.001] }',
      'queryFrequency must be from 1 minute to 14 days',
    ]);
  });
});

describe('isoDurationToMilliseconds', () => {
  it('reads days, hours, minutes and seconds', () => {
    assert.equal(isoDurationToMilliseconds('PT5M'), 300_000);
    assert.equal(isoDurationToMilliseconds('PT1H'), 3_600_000);
    assert.equal(isoDurationToMilliseconds('P14D'), 1_209_600_000);
    assert.equal(isoDurationToMilliseconds('P1DT2H3M4.5S'), 93_784_500);
    assert.equal(isoDurationToMilliseconds('PT0S'), 0);
  });

  it('refuses years, months, weeks and malformed text', () => {
    for (const text of ['P1Y', 'P1M', 'P1W', 'PT', 'P', '5m', 'PT5m', '']) {
      assert.equal(isoDurationToMilliseconds(text), undefined, text);
    }
  });
});
