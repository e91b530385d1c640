import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { AddressBlocker } from '../../../lib/detections/AddressBlocker.js';
import type { ScheduledDetection } from '../../../lib/detections/DetectionDefinition.js';
import { evaluateDueDetections } from '../../../lib/detections/evaluateDueDetections.js';
import { InMemoryDetectionStateStore } from '../../../lib/detections/InMemoryDetectionStateStore.js';
import { InMemoryLogQuerySource } from '../../../lib/detections/InMemoryLogQuerySource.js';
import { loadDetections } from '../../../lib/detections/loadDetections.js';
import { MemoryTelemetrySink } from '../../../lib/telemetry/MemoryTelemetrySink.js';
import { LocalFunctionsHost } from '../../../local/host/LocalFunctionsHost.js';
import { LocalHostAppControl } from '../../../local/host/LocalHostAppControl.js';

const appEntry = fileURLToPath(new URL('../../support/hostFixtureApp.js', import.meta.url));
const detection = (await loadDetections()).find(
  (definition): definition is ScheduledDetection => definition.id === 'failed-auth-burst',
);
assert.ok(detection !== undefined, 'kql/failed-auth-burst exists');
const failedAuthBurst: ScheduledDetection = detection;
const now = new Date('2025-03-01T12:00:00Z');

describe('AddressBlocker over the local host', () => {
  let dir: string;
  let host: LocalFunctionsHost;
  let appControl: LocalHostAppControl;
  let sink: MemoryTelemetrySink;
  let blocker: AddressBlocker;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealops-block-'));
    host = await LocalFunctionsHost.start({
      appEntry,
      stateFile: join(dir, 'state.json'),
      port: 0,
      timers: false,
      log: () => undefined,
    });
    appControl = new LocalHostAppControl(host.url, host.state.data.masterKey);
  });

  after(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await appControl.setAccessRules([]);
    sink = new MemoryTelemetrySink();
    blocker = new AddressBlocker({
      appControl,
      telemetry: sink,
      neverBlock: ['127.0.0.0/8', '::1/128', '192.0.2.0/24'],
      now: () => now,
    });
  });

  const contain = (address: string) =>
    blocker.contain({ detection: failedAuthBurst, address, alertKey: `ClientIp=${address}` });

  it('adds a Deny rule for the address, reads it back, and audits it', async () => {
    const outcome = await contain('203.0.113.7');

    assert.deepEqual(outcome, {
      outcome: 'success',
      detail: 'Added the Deny rule sealops-block-03e9b066 (203.0.113.7/32).',
    });
    assert.deepEqual(await appControl.getAccessRules(), [
      {
        name: 'sealops-block-03e9b066',
        action: 'Deny',
        ipAddress: '203.0.113.7/32',
        priority: 100,
        description:
          'sealops auto-block of 203.0.113.7 by detection failed-auth-burst at 2025-03-01T12:00:00.000Z',
      },
    ]);
    assert.deepEqual(sink.events, [
      {
        name: 'RunbookAction',
        runbook: 'runbooks/contain.md#block-addresses',
        action: 'block-address',
        actor: 'detection:failed-auth-burst',
        outcome: 'success',
        target: '203.0.113.7',
        detail: 'Added the Deny rule sealops-block-03e9b066 (203.0.113.7/32).',
      },
    ]);
  });

  it('changes nothing the second time: the rule already covers the address', async () => {
    await contain('2001:DB8:0:0::7');
    const again = await contain('2001:db8::7');
    const [rule] = await appControl.getAccessRules();

    assert.equal(rule?.ipAddress, '2001:db8::7/128');
    assert.deepEqual(again, {
      outcome: 'unchanged',
      detail: `The Deny rule ${rule.name} already covers it.`,
    });
  });

  it('keeps the rules it found and takes the first free priority from 100 up', async () => {
    await appControl.setAccessRules([
      { name: 'old-scanner', action: 'Deny', ipAddress: '198.51.100.0/24', priority: 100 },
      { name: 'old-bot', action: 'Deny', ipAddress: '198.51.100.77/32', priority: 101 },
    ]);

    await contain('203.0.113.7');

    assert.deepEqual(
      (await appControl.getAccessRules()).map((rule) => [rule.name, rule.priority]),
      [
        ['old-scanner', 100],
        ['old-bot', 101],
        ['sealops-block-03e9b066', 102],
      ],
    );
  });

  for (const [address, reason] of [
    ['127.0.0.1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback seen through an IPv6 socket'],
    ['::1', 'IPv6 loopback'],
    ['192.0.2.44', 'a range in the never-block list'],
  ] as const) {
    it(`refuses to block ${address} (${reason})`, async () => {
      const outcome = await contain(address);

      assert.deepEqual(outcome, {
        outcome: 'refused',
        detail: 'The address is loopback or listed in SEALOPS_CONTAINMENT_NEVER_BLOCK.',
      });
      assert.deepEqual(await appControl.getAccessRules(), []);
      assert.equal(sink.events[0]?.name === 'RunbookAction' && sink.events[0].outcome, 'refused');
    });
  }

  it('refuses a value that is not an IP address', async () => {
    assert.deepEqual(await contain('not-an-address'), {
      outcome: 'refused',
      detail: 'The value to block is not an IP address.',
    });
  });

  it('refuses an address an Allow rule covers: someone let that caller in on purpose', async () => {
    await appControl.setAccessRules([
      { name: 'partner-range', action: 'Allow', ipAddress: '203.0.113.0/24', priority: 200 },
    ]);

    assert.deepEqual(await contain('203.0.113.7'), {
      outcome: 'refused',
      detail: 'The Allow rule partner-range covers the address; block it by hand if intended.',
    });
  });

  it('changes nothing when only listed addresses may call and this one is not listed', async () => {
    await appControl.setAccessRules([
      { name: 'office', action: 'Allow', ipAddress: '198.51.100.0/24', priority: 200 },
    ]);

    assert.deepEqual(await contain('203.0.113.7'), {
      outcome: 'unchanged',
      detail: 'Only listed addresses may call the app, and this one is not listed.',
    });
  });

  it('reports a failure, audited, when the access rules cannot be changed', async () => {
    const unreachable = new AddressBlocker({
      appControl: new LocalHostAppControl(host.url, 'not-the-master-key'),
      telemetry: sink,
    });

    const outcome = await unreachable.contain({
      detection: failedAuthBurst,
      address: '203.0.113.7',
      alertKey: 'ClientIp=203.0.113.7',
    });

    assert.deepEqual(outcome, {
      outcome: 'failure',
      detail:
        'Changing the access rules failed: The local host answered 401 to GET /admin/app/accessRestrictions.',
    });
    assert.equal(sink.events[0]?.name === 'RunbookAction' && sink.events[0].outcome, 'failure');
  });

  it('blocks the address of a failed-authentication burst when the alert timer raises it', async () => {
    const rows = Array.from({ length: 12 }, (_, index) => ({
      TimeGenerated: new Date(now.getTime() - index * 5_000).toISOString(),
      CsMethod: 'POST',
      CsUriStem: '/api/seal-pdf',
      CsUriQuery: '',
      ScStatus: 401,
      CIp: '198.51.100.23',
      UserAgent: 'python-requests/2.31',
      CsHost: 'sealops.example',
      TimeTaken: 2,
      _ResourceId: 'local/sealops',
    }));

    const evaluation = await evaluateDueDetections({
      detections: [failedAuthBurst],
      source: new InMemoryLogQuerySource({ AppServiceHTTPLogs: rows }, { now: () => now }),
      now,
      state: new InMemoryDetectionStateStore(),
      sink,
      containment: blocker,
    });

    assert.deepEqual(
      evaluation.raised.map((alert) => alert.alertKey),
      ['ClientIp=198.51.100.23'],
    );
    assert.deepEqual(
      (await appControl.getAccessRules()).map((rule) => [rule.name, rule.action, rule.ipAddress]),
      [['sealops-block-3f1caeb1', 'Deny', '198.51.100.23/32']],
    );
    assert.deepEqual(
      sink.events.map((event) => event.name),
      ['DetectionAlert', 'RunbookAction'],
    );
  });
});
