import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ContainmentJournal } from '../../../lib/runbooks/ContainmentJournal.js';
import { ContainmentRecordConflictError } from '../../../lib/runbooks/errors/ContainmentRecordConflictError.js';
import { MemoryContainmentStore } from '../../support/MemoryContainmentStore.js';

const at = (iso: string) => () => new Date(iso);

function journal(
  store: MemoryContainmentStore,
  actor = 'alice',
  time = '2025-03-01T03:15:00.123Z',
) {
  return new ContainmentJournal({
    store,
    app: 'func-seal',
    actor,
    reason: 'leaked key',
    clock: at(time),
  });
}

describe('ContainmentJournal', () => {
  it('opens an incident with the first recorded action, saying who, when and why', async () => {
    const store = new MemoryContainmentStore();

    await journal(store).record({ kind: 'function-disabled', target: 'seal-pdf' });

    assert.deepEqual(store.records.get('func-seal')?.record, {
      schema: 1,
      app: 'func-seal',
      incidentId: 'inc-20250301T031500Z',
      status: 'open',
      openedAt: '2025-03-01T03:15:00.123Z',
      openedBy: 'alice',
      reason: 'leaked key',
      actions: [
        {
          kind: 'function-disabled',
          target: 'seal-pdf',
          at: '2025-03-01T03:15:00.123Z',
          by: 'alice',
        },
      ],
    });
  });

  it('keeps the first record of an action when it is recorded again, so the undo information survives a rerun', async () => {
    const store = new MemoryContainmentStore();
    await journal(store).record({
      kind: 'app-stopped',
      target: 'func-seal',
      previousState: 'Running',
    });

    await journal(store, 'bob', '2025-03-01T04:00:00Z').record({
      kind: 'app-stopped',
      target: 'func-seal',
      previousState: 'Stopped',
    });

    const [action] = store.records.get('func-seal')?.record.actions ?? [];
    assert.deepEqual(action, {
      kind: 'app-stopped',
      target: 'func-seal',
      previousState: 'Running',
      at: '2025-03-01T03:15:00.123Z',
      by: 'alice',
    });
  });

  it('marks an action lifted once, and closing archives the incident; the next action opens a new one', async () => {
    const store = new MemoryContainmentStore();
    await journal(store).record({ kind: 'function-disabled', target: 'seal-pdf' });
    const later = journal(store, 'bob', '2025-03-01T05:00:00Z');
    await later.load();

    await later.markLifted('function-disabled', 'seal-pdf');
    await later.markLifted('function-disabled', 'seal-pdf');
    await later.close();
    await journal(store, 'carol', '2025-03-02T01:00:00Z').record({
      kind: 'function-disabled',
      target: 'seal-pdf',
    });

    assert.equal(store.archived.length, 2);
    assert.deepEqual(store.archived[0]?.actions[0], {
      kind: 'function-disabled',
      target: 'seal-pdf',
      at: '2025-03-01T03:15:00.123Z',
      by: 'alice',
      liftedAt: '2025-03-01T05:00:00.000Z',
      liftedBy: 'bob',
    });
    assert.equal(store.archived[0]?.closedBy, 'bob');
    assert.equal(store.records.get('func-seal')?.record.incidentId, 'inc-20250302T010000Z');
  });

  it('re-reads and re-applies its change when another responder wrote in between', async () => {
    const store = new MemoryContainmentStore();
    await journal(store).record({ kind: 'function-disabled', target: 'seal-pdf' });
    let interfered = false;
    store.beforeSave = () => {
      if (interfered) return;
      interfered = true;
      const current = store.records.get('func-seal')?.record;
      assert.ok(current);
      store.put({
        ...current,
        actions: [
          ...current.actions,
          { kind: 'signing-key-revoked', target: 'k1', at: 'x', by: 'bob' },
        ],
      });
    };

    await journal(store).record({
      kind: 'app-stopped',
      target: 'func-seal',
      previousState: 'Running',
    });

    assert.deepEqual(
      store.records.get('func-seal')?.record.actions.map((action) => action.kind),
      ['function-disabled', 'signing-key-revoked', 'app-stopped'],
    );
  });

  it('gives up with a clear error when the record keeps changing under it', async () => {
    const store = new MemoryContainmentStore();
    await journal(store).record({ kind: 'function-disabled', target: 'seal-pdf' });
    store.beforeSave = () => {
      const current = store.records.get('func-seal')?.record;
      if (current) store.put(current);
    };

    await assert.rejects(
      journal(store).record({ kind: 'app-stopped', target: 'func-seal', previousState: 'Running' }),
      (error: unknown) => {
        assert.ok(error instanceof ContainmentRecordConflictError);
        assert.equal(
          error.message,
          "The containment record of 'func-seal' changed 5 times while this run tried to update it; " +
            'another responder is acting on the same app: agree who leads, then run again.',
        );
        return true;
      },
    );
  });
});
