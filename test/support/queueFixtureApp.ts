// A small app for the local host's queue-trigger tests: one queue-triggered function that records
// each delivery and fails when the message asks it to.
import { app } from '@azure/functions';

/** One call of the `work` function. */
export interface Delivery {
  readonly input: unknown;
  readonly triggerMetadata: Record<string, unknown> | undefined;
}

export const deliveries: Delivery[] = [];

app.storageQueue('work', {
  queueName: '%FIXTURE_QUEUE%',
  connection: 'FIXTURE_STORAGE',
  handler: (input, context) => {
    deliveries.push({ input, triggerMetadata: context.triggerMetadata });
    if (typeof input === 'object' && input !== null && 'fail' in input) {
      throw new Error('the message asked to fail');
    }
  },
});
