import type { AppEndpoint } from '../AppEndpoint.js';
import { RecoveryCheckFailedError } from '../errors/RecoveryCheckFailedError.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Calls the app's health route from outside; passes on 200. */
export function healthCheck(endpoint: AppEndpoint, app: string): RunbookStep {
  return {
    action: 'health-check',
    target: app,
    kind: 'check',
    summary: 'GET /api/health answers 200',
    inspect: () => Promise.resolve({ done: false, observed: 'not checked yet' }),
    apply: async () => {
      const status = await endpoint.health();
      if (status !== 200) {
        throw new RecoveryCheckFailedError('health check', `GET /api/health answered ${status}`);
      }
    },
  };
}
