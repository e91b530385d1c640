import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Closes the open incident in the containment record, with who and when, and archives it. */
export function closeIncident(journal: ContainmentJournal, app: string): RunbookStep {
  return {
    action: 'close-incident',
    target: journal.open?.incidentId ?? app,
    kind: 'change',
    summary: 'close the incident in the containment record',
    inspect: () => {
      const latest = journal.latest;
      return Promise.resolve({
        done: latest?.status !== 'open',
        observed:
          latest === undefined ? 'no incident' : `incident ${latest.incidentId} ${latest.status}`,
      });
    },
    apply: () => journal.close(),
  };
}
