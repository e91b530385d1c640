import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { executeRunbook } from '../../../lib/runbooks/executeRunbook.js';
import type { RunbookAuditEntry } from '../../../lib/runbooks/RunbookAuditLog.js';
import type { RunbookPlan } from '../../../lib/runbooks/RunbookPlan.js';
import type { RunbookStep } from '../../../lib/runbooks/RunbookStep.js';
import { MemoryTelemetrySink } from '../../../lib/telemetry/MemoryTelemetrySink.js';

/** A step over one boolean of live state; `sticks: false` makes the platform ignore the change. */
function flagStep(
  state: { on: boolean },
  options: { sticks?: boolean; action?: string } = {},
): RunbookStep {
  return {
    action: options.action ?? 'turn-on',
    target: 'flag',
    kind: 'change',
    summary: 'turn the flag on',
    inspect: () => Promise.resolve({ done: state.on, observed: state.on ? 'on' : 'off' }),
    apply: () => {
      if (options.sticks !== false) state.on = true;
      return Promise.resolve();
    },
  };
}

function harness() {
  const telemetry = new MemoryTelemetrySink();
  const entries: RunbookAuditEntry[] = [];
  const options = {
    actor: 'alice',
    app: 'func-seal',
    runId: 'run-1',
    telemetry,
    audit: { append: (entry: RunbookAuditEntry) => Promise.resolve(void entries.push(entry)) },
    clock: () => new Date('2025-03-01T03:15:00Z'),
  };
  return { telemetry, entries, options };
}

const plan = (steps: RunbookStep[], refusals: RunbookPlan['refusals'] = []): RunbookPlan => ({
  runbook: 'contain',
  steps,
  refusals,
  manualActions: [],
});

describe('executeRunbook', () => {
  it('without yes reports pending steps as planned and changes nothing', async () => {
    const state = { on: false };
    const { options, entries } = harness();

    const report = await executeRunbook(plan([flagStep(state)]), { ...options, yes: false });

    assert.equal(state.on, false);
    assert.equal(report.outcome, 'planned');
    assert.deepEqual(
      report.steps.map((s) => [s.outcome, s.before]),
      [['planned', 'off']],
    );
    assert.deepEqual(
      entries.map((e) => `${e.action}:${e.outcome}`),
      ['plan:planned', 'turn-on:planned', 'run:planned'],
    );
  });

  it('with yes applies, reads back, and leaves a step whose goal already holds unchanged', async () => {
    const state = { on: false };
    const { options } = harness();

    const first = await executeRunbook(plan([flagStep(state)]), { ...options, yes: true });
    const second = await executeRunbook(plan([flagStep(state)]), { ...options, yes: true });

    assert.deepEqual(
      first.steps.map((s) => [s.outcome, s.before, s.after]),
      [['changed', 'off', 'on']],
    );
    assert.deepEqual(
      second.steps.map((s) => s.outcome),
      ['unchanged'],
    );
  });

  it('fails a step whose change does not show on read-back, and runs none after it', async () => {
    const state = { on: false };
    const later = { on: false };
    const { options } = harness();

    const report = await executeRunbook(
      plan([flagStep(state, { sticks: false }), flagStep(later)]),
      {
        ...options,
        yes: true,
      },
    );

    assert.equal(report.outcome, 'failure');
    assert.equal(later.on, false);
    assert.deepEqual(
      report.steps.map((s) => [s.outcome, s.error]),
      [
        [
          'failed',
          "The change 'turn-on' on flag was sent but reading it back shows off; check the app and run " +
            'the command again (completed steps will be left as they are).',
        ],
      ],
    );
  });

  it('refuses the whole plan when it carries a refusal, and emits the reason', async () => {
    const state = { on: false };
    const { options, telemetry } = harness();

    const report = await executeRunbook(
      plan(
        [flagStep(state)],
        [{ action: 'block-address', target: '127.0.0.0/8', reason: 'it contains you' }],
      ),
      { ...options, yes: true },
    );

    assert.equal(state.on, false);
    assert.equal(report.outcome, 'refused');
    assert.deepEqual(
      telemetry.events.map((event) =>
        event.name === 'RunbookAction'
          ? `${event.action}:${event.outcome}:${event.detail ?? ''}`
          : '',
      ),
      [
        'plan:planned:apply; 1 step(s): turn-on flag: turn the flag on',
        'block-address:refused:it contains you',
        'run:refused:no steps',
      ],
    );
  });

  it('puts who, which runbook, the run and the app on every event and audit entry', async () => {
    const { options, telemetry, entries } = harness();

    await executeRunbook(plan([flagStep({ on: false })]), {
      ...options,
      yes: true,
      incidentId: () => 'inc-1',
    });

    for (const event of telemetry.events) {
      assert.deepEqual(
        event.name === 'RunbookAction' && [
          event.runbook,
          event.actor,
          event.runId,
          event.app,
          event.incidentId,
        ],
        ['contain', 'alice', 'run-1', 'func-seal', 'inc-1'],
      );
    }
    assert.deepEqual(entries[0]?.plan, ['turn-on flag: turn the flag on']);
    assert.equal(entries[0]?.time, '2025-03-01T03:15:00.000Z');
  });

  it('stops after a step when the step hook throws, as a killed process would', async () => {
    const first = { on: false };
    const second = { on: false };
    const { options } = harness();

    await assert.rejects(
      executeRunbook(plan([flagStep(first), flagStep(second)]), {
        ...options,
        yes: true,
        onStep: () => {
          throw new Error('killed');
        },
      }),
      /killed/,
    );
    assert.deepEqual([first.on, second.on], [true, false]);
  });
});
