import { app, type InvocationContext, type Timer } from '@azure/functions';

import { rotationServices } from '../lib/app/createRotationServices.js';
import { loadKeyVaultSettings } from '../lib/credentials/KeyVaultSettings.js';

/**
 * Timer `rotate-keys`, every hour at minute 5: runs the rotation engine for every managed
 * credential. The engine itself decides what is due (a daily check while idle, hourly while a
 * rotation is in flight), so most ticks only read one state blob per credential. The invocation
 * fails when automation is stopped for a credential, so the platform's own monitoring sees it too.
 */
export async function rotateKeys(timer: Timer, context: InvocationContext): Promise<void> {
  if (loadKeyVaultSettings() === undefined) {
    context.info('Key rotation is off: KEY_VAULT_URL is not set (static TS_API_KEY setup).');
    return;
  }
  if (timer.isPastDue) context.warn('The rotation timer is running late.');
  const services = await rotationServices();
  if (services.functionKeysUnavailable) {
    context.warn(`Function keys are not rotated: ${services.functionKeysUnavailable}.`);
  }

  const runs = await services.engine.run();
  for (const run of runs) {
    const line = `${run.credential}: ${run.outcome}, ${run.phase}. ${run.message}`;
    if (run.outcome === 'stopped' || run.outcome === 'failed') context.error(line);
    else context.info(line);
  }
  const stopped = runs.filter(({ outcome }) => outcome === 'stopped');
  if (stopped.length > 0) {
    throw new Error(
      `Key rotation needs a person for ${stopped.map(({ credential }) => credential).join(', ')}; ` +
        "run 'sealops keys status'.",
    );
  }
}

app.timer('rotate-keys', { schedule: '0 5 * * * *', runOnStartup: false, handler: rotateKeys });
