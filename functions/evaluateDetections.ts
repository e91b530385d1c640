import { app, type InvocationContext, type Timer } from '@azure/functions';

import { detectionServices } from '../lib/app/createDetectionServices.js';
import {
  evaluateDueDetections,
  type DetectionEvaluation,
} from '../lib/detections/evaluateDueDetections.js';

/**
 * The alert timer, every minute: runs the detections in kql/ that are due, raises what is not
 * suppressed (a `DetectionAlert` event, the webhook, automatic containment when turned on).
 * Failures to run at all are logged and rethrown, so the host records a failed invocation; the
 * next tick tries again.
 */
export async function evaluateDetections(timer: Timer, context: InvocationContext): Promise<void> {
  if (timer.isPastDue) context.warn('The detections timer is running late.');
  try {
    const services = await detectionServices();
    if (services.source === undefined) {
      context.warn(
        'Detections are not running: set SEALOPS_LOG_WORKSPACE_ID (Azure) or ' +
          'SEALOPS_TELEMETRY_DIR (local stack).',
      );
      return;
    }
    if (services.containmentUnavailable) context.warn(services.containmentUnavailable);
    const evaluation = await evaluateDueDetections({
      detections: services.detections,
      source: services.source,
      now: new Date(),
      state: services.state,
      sink: services.telemetry,
      ...(services.webhook ? { webhook: services.webhook } : {}),
      ...(services.containment ? { containment: services.containment } : {}),
      app: services.settings.appName,
      log: (level, message) => context[level](message),
    });
    context.info(describeEvaluation(evaluation));
  } catch (error) {
    context.error(`Detections could not be evaluated: ${(error as Error).message}`);
    throw error;
  }
}

function describeEvaluation(evaluation: DetectionEvaluation): string {
  const ran = evaluation.ran.map((run) =>
    run.outcome === 'success' ? run.id : `${run.id} (${run.outcome})`,
  );
  const suppressed = evaluation.ran.reduce((sum, run) => sum + run.suppressed, 0);
  return (
    `Detections ran: ${ran.join(', ') || 'none'}; ${evaluation.raised.length} alert(s) raised, ` +
    `${suppressed} suppressed; ${evaluation.notDue.length} not due; webhook posts delivered ` +
    `${evaluation.webhooks.delivered}, queued ${evaluation.webhooks.queued}.`
  );
}

app.timer('evaluate-detections', { schedule: '0 */1 * * * *', handler: evaluateDetections });
