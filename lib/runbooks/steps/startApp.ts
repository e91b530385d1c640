import type { AppControl } from '../../appcontrol/AppControl.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Starts the app that containment stopped, and marks the stop lifted. */
export function startApp(
  control: AppControl,
  journal: ContainmentJournal,
  app: string,
): RunbookStep {
  const lift = () => journal.markLifted('app-stopped', app);
  return {
    action: 'start-app',
    target: app,
    kind: 'change',
    summary: 'start the app that contain stopped',
    inspect: async () => {
      const state = await control.getState();
      return { done: state === 'Running', observed: `app ${state}` };
    },
    apply: async () => {
      await control.setState('Running');
      await lift();
    },
    settle: lift,
  };
}
