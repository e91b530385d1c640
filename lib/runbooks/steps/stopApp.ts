import type { AppControl } from '../../appcontrol/AppControl.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Stops the whole app: every request then gets 403 until `recover` starts it again. */
export function stopApp(
  control: AppControl,
  journal: ContainmentJournal,
  app: string,
): RunbookStep {
  return {
    action: 'stop-app',
    target: app,
    kind: 'change',
    summary: `stop the app; every request gets 403 until recover starts it`,
    inspect: async () => {
      const state = await control.getState();
      return { done: state === 'Stopped', observed: `app ${state}` };
    },
    apply: async () => {
      const previousState = await control.getState();
      await journal.record({ kind: 'app-stopped', target: app, previousState });
      await control.setState('Stopped');
    },
  };
}
