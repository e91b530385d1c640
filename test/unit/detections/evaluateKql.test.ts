import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InvalidTelemetryRowError } from '../../../lib/detections/errors/InvalidTelemetryRowError.js';
import { KqlAnalysisError } from '../../../lib/detections/errors/KqlAnalysisError.js';
import { KqlEvaluationError } from '../../../lib/detections/errors/KqlEvaluationError.js';
import { UnsupportedKqlError } from '../../../lib/detections/errors/UnsupportedKqlError.js';
import { evaluateKql, type TelemetryTables } from '../../../lib/detections/evaluateKql.js';
import { comparableRows } from './detectionFixtures.js';

const now = new Date('2025-03-03T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

const tables: TelemetryTables = {
  AppEvents: [
    {
      TimeGenerated: minutesAgo(1),
      Name: 'SealRequest',
      ItemCount: 1,
      Properties: {
        outcome: 'success',
        keyId: 'key-B',
        clientIp: '198.51.100.10',
        sizeBytes: '1000',
      },
    },
    {
      TimeGenerated: minutesAgo(2),
      Name: 'SealRequest',
      ItemCount: 3,
      Properties: { outcome: 'failure', clientIp: '198.51.100.11', errorCode: 'PDF_ENCRYPTED' },
    },
    {
      TimeGenerated: minutesAgo(90),
      Name: 'ApiKeyUsed',
      ItemCount: 1,
      Properties: { keyId: 'key-A', fingerprint: 'fp-a' },
    },
  ],
  AppServiceHTTPLogs: [
    {
      TimeGenerated: minutesAgo(1),
      CIp: '198.51.100.10',
      ScStatus: 200,
      CsUriStem: '/api/seal-pdf',
    },
    { TimeGenerated: minutesAgo(3), CIp: '203.0.113.7', ScStatus: 401, CsUriStem: '/api/seal-pdf' },
    {
      TimeGenerated: minutesAgo(4),
      CIp: '203.0.113.7',
      ScStatus: 401,
      CsUriStem: '/admin/host/keys',
    },
  ],
};

function rows(query: string, rowsOf: TelemetryTables = tables) {
  const result = evaluateKql(query, { tables: rowsOf, now });
  assert.equal(result.status, 'Success');
  const [table] = result.tables;
  assert.ok(table !== undefined);
  return comparableRows(table);
}

function failure(query: string): unknown {
  try {
    evaluateKql(query, { tables, now });
  } catch (error) {
    return error;
  }
  assert.fail('the query was evaluated');
}

describe('evaluateKql refuses what it cannot evaluate exactly', () => {
  it('names an unsupported operator and its line and column', () => {
    const error = failure('AppEvents\n| mv-expand Properties');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(error.code, 'KQL_UNSUPPORTED');
    assert.equal(
      error.message,
      "The local KQL evaluator does not support the operator 'mv-expand' (line 2, column 3); " +
        'rewrite the query with supported operators or extend lib/detections/evaluation.',
    );
    assert.deepEqual(error.position, { line: 2, column: 3 });
  });

  it('names an unsupported function', () => {
    const error = failure('AppEvents | extend h = hash_sha256(Name)');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(error.construct, "the function 'hash_sha256'");
    assert.deepEqual(error.position, { line: 1, column: 24 });
  });

  it('names an unsupported aggregate', () => {
    const error = failure('AppEvents | summarize percentile(ItemCount, 95)');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(error.construct, "the aggregate 'percentile'");
  });

  it('refuses an expression around an aggregate rather than guessing its meaning', () => {
    const error = failure('AppEvents | summarize round(avg(ItemCount), 1)');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(error.construct, 'an expression around an aggregate in summarize');
  });

  it('refuses a join without kind, whose default (innerunique) keeps an arbitrary row', () => {
    const error = failure('AppEvents | join (AppEvents) on Name');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(
      error.construct,
      "join without kind= (Kusto's default innerunique keeps an arbitrary left row per key)",
    );
  });

  it('refuses a join kind it does not implement', () => {
    const error = failure('AppEvents | join kind=fullouter (AppEvents) on Name');
    assert.ok(error instanceof UnsupportedKqlError);
    assert.equal(error.construct, 'join kind=fullouter');
  });

  it('refuses a query the analyzer rejects, with the diagnostic', () => {
    const error = failure('AppEvents | where Nmae == "SealRequest"');
    assert.ok(error instanceof KqlAnalysisError);
    assert.equal(error.code, 'KQL_INVALID');
    assert.equal(
      error.message,
      "The query does not analyse cleanly: KS142 at line 1, column 19: The name 'Nmae' does not " +
        'refer to any known column, table, variable or function; fix the query before running it.',
    );
  });

  it('refuses to compare an int column with a string instead of coercing', () => {
    const error = failure('AppServiceHTTPLogs | where ScStatus == "401"');
    assert.ok(error instanceof KqlEvaluationError);
    assert.equal(
      error.message,
      'The query cannot be evaluated at line 1, column 37: `==` between int and string is not ' +
        'evaluated without an explicit conversion (tostring(), toint(), tolong(), tobool()).',
    );
  });

  it('refuses a telemetry row whose TimeGenerated is not a date, without repeating the value', () => {
    assert.throws(
      () =>
        evaluateKql('AppEvents | take 1', {
          tables: { AppEvents: [{ TimeGenerated: 'yesterday', Name: 'SealRequest' }] },
          now,
        }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidTelemetryRowError);
        assert.equal(
          error.message,
          'Row 1 of AppEvents has a TimeGenerated that is not a valid datetime; fix the writer of ' +
            'that table or the fixture.',
        );
        return true;
      },
    );
  });
});

describe('evaluateKql follows Kusto', () => {
  it('names summarize columns as Kusto does and counts with ItemCount', () => {
    assert.deepEqual(
      rows(
        'AppEvents | where Name == "SealRequest" | summarize count(), sum(ItemCount), ' +
          'dcount(tostring(Properties.clientIp)) by bin(TimeGenerated, 1h)',
      ),
      [
        {
          TimeGenerated: '2025-03-03T11:00:00.000Z',
          count_: 2,
          sum_ItemCount: 4,
          dcount_Properties_clientIp: 2,
        },
      ],
    );
  });

  it('gives one row of empty aggregates when summarize without by sees no rows', () => {
    assert.deepEqual(
      rows(
        'AppEvents | where Name == "nothing" | summarize n = sum(ItemCount), c = count(), ' +
          's = make_set(Name), m = max(TimeGenerated), a = avg(ItemCount)',
      ),
      [{ n: 0, c: 0, s: [], m: null, a: null }],
    );
    assert.deepEqual(
      rows('AppEvents | where Name == "nothing" | summarize n = sum(ItemCount) by Name'),
      [],
    );
  });

  it('reads dynamic properties as strings only through tostring(), "" when absent', () => {
    assert.deepEqual(
      rows(
        'AppEvents | where Name == "SealRequest" | project Key = tostring(Properties.keyId), ' +
          'Size = tolong(Properties["sizeBytes"]), Missing = isempty(tostring(Properties.nope))',
      ),
      [
        { Key: 'key-B', Size: 1000, Missing: true },
        { Key: '', Size: null, Missing: true },
      ],
    );
  });

  it('keeps the newest row per group with arg_max and its extra columns', () => {
    assert.deepEqual(
      rows('AppServiceHTTPLogs | summarize arg_max(TimeGenerated, CsUriStem, ScStatus) by CIp'),
      [
        {
          CIp: '198.51.100.10',
          TimeGenerated: minutesAgo(1),
          CsUriStem: '/api/seal-pdf',
          ScStatus: 200,
        },
        {
          CIp: '203.0.113.7',
          TimeGenerated: minutesAgo(3),
          CsUriStem: '/api/seal-pdf',
          ScStatus: 401,
        },
      ],
    );
  });

  it('renames union columns that share a name but not a type, as Kusto does', () => {
    assert.deepEqual(
      rows(
        'union (AppEvents | where Name == "ApiKeyUsed" | project N = ItemCount), ' +
          '(AppServiceHTTPLogs | take 1 | project N = tolong(7))',
      ),
      [
        { N_int: 1, N_long: null },
        { N_int: null, N_long: 7 },
      ],
    );
  });

  it('joins inner, left outer and left anti, on a shared name or on $left / $right', () => {
    const left = 'let http = AppServiceHTTPLogs | project Address = CIp, ScStatus;\n';
    const right =
      'let sealRows = AppEvents | where Name == "SealRequest" | project ClientIp = tostring(Properties.clientIp), Outcome = tostring(Properties.outcome);\n';
    assert.deepEqual(
      rows(`${left}${right}http | join kind=inner sealRows on $left.Address == $right.ClientIp`),
      [{ Address: '198.51.100.10', ScStatus: 200, ClientIp: '198.51.100.10', Outcome: 'success' }],
    );
    assert.deepEqual(
      rows(
        `${left}${right}http | join kind=leftouter sealRows on $left.Address == $right.ClientIp`,
      ),
      [
        { Address: '198.51.100.10', ScStatus: 200, ClientIp: '198.51.100.10', Outcome: 'success' },
        { Address: '203.0.113.7', ScStatus: 401, ClientIp: '', Outcome: '' },
        { Address: '203.0.113.7', ScStatus: 401, ClientIp: '', Outcome: '' },
      ],
    );
    assert.deepEqual(
      rows(
        `${left}${right}http | extend ClientIp = Address | join kind=leftanti sealRows on ClientIp | project Address`,
      ),
      [{ Address: '203.0.113.7' }, { Address: '203.0.113.7' }],
    );
  });

  it('orders descending by default with nulls last, and ascending with nulls first', () => {
    const query =
      'AppEvents | extend Size = tolong(Properties.sizeBytes) | project Name, Size, ItemCount';
    assert.deepEqual(
      rows(`${query} | order by Size`).map((row) => row['Size']),
      [1000, null, null],
    );
    assert.deepEqual(
      rows(`${query} | order by Size asc, ItemCount desc`).map((row) => row['ItemCount']),
      [3, 1, 1],
    );
    assert.deepEqual(
      rows(`${query} | top 1 by ItemCount`).map((row) => row['ItemCount']),
      [3],
    );
    assert.deepEqual(rows(`${query} | take 2`).length, 2);
  });

  it('matches terms with has, substrings with contains, and case-insensitively with =~ and in~', () => {
    assert.deepEqual(
      rows(
        'AppServiceHTTPLogs | project CsUriStem, ' +
          'Admin = CsUriStem has "admin", Seal = CsUriStem has "seal", ' +
          'Part = CsUriStem contains "SEAL", Exact = CsUriStem =~ "/API/SEAL-PDF", ' +
          'Listed = CsUriStem in~ ("/API/SEAL-PDF"), NotListed = ScStatus !in (200, 204)',
      ),
      [
        {
          CsUriStem: '/api/seal-pdf',
          Admin: false,
          Seal: true,
          Part: true,
          Exact: true,
          Listed: true,
          NotListed: false,
        },
        {
          CsUriStem: '/api/seal-pdf',
          Admin: false,
          Seal: true,
          Part: true,
          Exact: true,
          Listed: true,
          NotListed: true,
        },
        {
          CsUriStem: '/admin/host/keys',
          Admin: true,
          Seal: false,
          Part: false,
          Exact: false,
          Listed: false,
          NotListed: true,
        },
      ],
    );
  });

  it('computes with datetimes and timespans, reading now() and ago() from the injected clock', () => {
    assert.deepEqual(
      rows(
        'AppEvents | where TimeGenerated > ago(1h) | project Age = now() - TimeGenerated, ' +
          'Minutes = (now() - TimeGenerated) / 1m, Later = TimeGenerated + 1d, Week = bin(TimeGenerated, 7d)',
      ),
      [
        {
          Age: '00:01:00',
          Minutes: 1,
          Later: '2025-03-04T11:59:00.000Z',
          Week: '2025-03-03T00:00:00.000Z',
        },
        {
          Age: '00:02:00',
          Minutes: 2,
          Later: '2025-03-04T11:58:00.000Z',
          Week: '2025-03-03T00:00:00.000Z',
        },
      ],
    );
  });

  it('evaluates let values, toscalar, iff, strcat, max_of and round', () => {
    assert.deepEqual(
      rows(
        'let busiest = toscalar(AppServiceHTTPLogs | summarize n = count() by CIp | top 1 by n | project CIp);\n' +
          'let limit = 2;\n' +
          'AppServiceHTTPLogs | where CIp == busiest | summarize n = count()\n' +
          '| extend Over = iff(n >= limit, "yes", "no"), Label = strcat(busiest, "/", tostring(n)), ' +
          'Most = max_of(n, 5), Third = round(n / 3.0, 2)',
      ),
      [{ n: 2, Over: 'yes', Label: '203.0.113.7/2', Most: 5, Third: 0.67 }],
    );
  });

  it('treats null as neither true nor false, and counts it in no sum', () => {
    assert.deepEqual(
      rows(
        'AppEvents | extend Size = tolong(Properties.sizeBytes) ' +
          '| summarize Big = countif(Size > 10), Small = countif(Size <= 10), Total = sum(Size), ' +
          'Unknown = countif(isnull(Size))',
      ),
      [{ Big: 1, Small: 0, Total: 1000, Unknown: 2 }],
    );
  });
});
