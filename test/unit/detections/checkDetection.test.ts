import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { analyzeKql } from '../../../lib/detections/analyzeKql.js';
import { checkDetection, checkQuery } from '../../../lib/detections/checkDetection.js';
import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import { loadKustoLanguage } from '../../../lib/detections/kusto/loadKustoLanguage.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';

const definitions = await loadDetections();

describe('every query in kql/', () => {
  for (const definition of definitions) {
    it(`${definition.id} passes Kusto.Language, the lint and its metadata checks`, () => {
      assert.deepEqual(checkDetection(definition).problems, []);
    });
  }
});

describe('checkQuery', () => {
  it('reports an unknown column with the analyzer code and its place', () => {
    const check = checkQuery('AppRequests\n| where ResultCod == "401"');
    assert.deepEqual(check.problems, [
      {
        source: 'analyzer',
        code: 'KS142',
        severity: 'error',
        message:
          "The name 'ResultCod' does not refer to any known column, table, variable or function.",
        position: { line: 2, column: 9 },
      },
    ]);
  });

  it('reports a table that is not declared in the workspace schema', () => {
    const [problem] = checkQuery('requests | take 1').problems;
    assert.equal(problem?.code, 'KS204');
    assert.equal(problem?.severity, 'error');
  });

  it('flags the seed query comparing the string ResultCode with numbers', () => {
    const check = checkQuery('AppRequests | where ResultCode in (401, 403)');
    assert.deepEqual(
      check.problems.map((problem) => [problem.code, problem.message, problem.position]),
      [
        [
          'KQL_LINT_COMPARISON_TYPES',
          '`in` compares string `ResultCode` with long `401`; Kusto.Language accepts it but the ' +
            'engine may not coerce: convert one side explicitly or compare with a literal of the ' +
            'column type.',
          { line: 1, column: 36 },
        ],
        [
          'KQL_LINT_COMPARISON_TYPES',
          '`in` compares string `ResultCode` with long `403`; Kusto.Language accepts it but the ' +
            'engine may not coerce: convert one side explicitly or compare with a literal of the ' +
            'column type.',
          { line: 1, column: 41 },
        ],
      ],
    );
  });

  it('flags a dynamic property compared with a bool, and a bool compared with a string', () => {
    const check = checkQuery(
      'AppEvents | where Properties.useStorage == true or tobool(Properties.useStorage) == "true"',
    );
    assert.deepEqual(
      check.problems.map((problem) => problem.message),
      [
        '`==` compares dynamic `Properties.useStorage` with bool `true`; Kusto.Language accepts ' +
          'it but the engine may not coerce: convert the dynamic side with tostring(), toint(), ' +
          'tolong() or tobool().',
        '`==` compares bool `tobool(Properties.useStorage)` with string `"true"`; Kusto.Language ' +
          'accepts it but the engine may not coerce: convert one side explicitly or compare with ' +
          'a literal of the column type.',
      ],
    );
  });

  it('accepts the corrected forms of the seed queries', () => {
    for (const query of [
      'AppRequests | where ResultCode in ("401", "403") | summarize failures = sum(ItemCount) by bin(TimeGenerated, 1h), ClientIP',
      'AppRequests | where tobool(Properties.useStorage) | summarize avg(DurationMs), n = sum(ItemCount) by bin(TimeGenerated, 1h)',
      'AppServiceHTTPLogs | where ScStatus in (401, 403) | summarize count() by CIp',
    ]) {
      assert.deepEqual(checkQuery(query).problems, [], query);
    }
  });

  it('flags count() over a sampled table and points to sum(ItemCount)', () => {
    const check = checkQuery('AppEvents | summarize count(), countif(Name == "SealRequest")');
    assert.deepEqual(
      check.problems.map((problem) => [problem.code, problem.message]),
      [
        [
          'KQL_LINT_SAMPLED_COUNT',
          'count() counts stored rows, but AppEvents may be sampled; use sum(ItemCount) so ' +
            'thresholds hold under sampling.',
        ],
        [
          'KQL_LINT_SAMPLED_COUNT',
          'countif() counts stored rows, but AppEvents may be sampled; use sumif(ItemCount, ' +
            'condition) so thresholds hold under sampling.',
        ],
      ],
    );
  });

  it('gives the tables read and the result columns', () => {
    const check = checkQuery(
      'let http = AppServiceHTTPLogs | project TimeGenerated, Address = CIp;\n' +
        'union http, (AppEvents | project TimeGenerated, Address = tostring(Properties.clientIp))\n' +
        '| summarize n = count() by Address',
    );
    assert.deepEqual(check.tablesRead, ['AppEvents', 'AppServiceHTTPLogs']);
    assert.deepEqual(check.resultColumns, [
      { name: 'Address', type: 'string' },
      { name: 'n', type: 'long' },
    ]);
  });

  it('loads Kusto.Language once per process', () => {
    assert.equal(loadKustoLanguage(), loadKustoLanguage());
    assert.equal(analyzeKql('AppEvents').code.Globals, analyzeKql('AppRequests').code.Globals);
  });
});

describe('checkDetection', () => {
  const base: ScheduledDetection = {
    id: 'probe',
    title: 'Probe',
    description: 'A detection for the tests.',
    severity: 'Low',
    kind: 'detection',
    tables: ['AppEvents', 'AppServiceHTTPLogs'],
    queryFrequency: 'PT5M',
    queryPeriod: 'PT5M',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    suppression: 'PT15M',
    runbook: 'runbooks/contain.md#block-addresses',
    groupBy: ['ClientIp', 'Host'],
    automaticContainment: { action: 'block-address', column: 'Failures' },
    query:
      'AppEvents | summarize Failures = sum(ItemCount) by ClientIp = tostring(Properties.clientIp)',
  };

  it('compares the metadata with what the query reads and returns', () => {
    assert.deepEqual(checkDetection(base).problems, [
      {
        source: 'definition',
        code: 'DETECTION_TABLES_MISMATCH',
        severity: 'error',
        message:
          'the metadata declares tables [AppEvents, AppServiceHTTPLogs] but the query reads [AppEvents]',
      },
      {
        source: 'definition',
        code: 'DETECTION_GROUP_BY_UNKNOWN',
        severity: 'error',
        message: 'groupBy names Host, which is not a result column',
      },
      {
        source: 'definition',
        code: 'DETECTION_CONTAINMENT_COLUMN',
        severity: 'error',
        message: 'automaticContainment reads Failures, which must be a string result column',
      },
    ]);
  });

  it('refuses a query whose result is not a table', () => {
    const problems = checkDetection({
      ...base,
      tables: ['AppEvents'],
      groupBy: [],
      automaticContainment: undefined,
      query: 'toscalar(AppEvents | summarize sum(ItemCount))',
    }).problems;
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ['DETECTION_RESULT_NOT_TABLE'],
    );
  });
});
