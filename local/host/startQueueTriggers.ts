import functions from '@azure/functions';
import {
  QueueServiceClient,
  type DequeuedMessageItem,
  type QueueClient,
} from '@azure/storage-queue';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FunctionRegistration } from './installCoreApi.js';

// The library is a webpack bundle whose classes Node cannot see as named ESM exports.
const { InvocationContext } = functions;

/** Options of {@link startQueueTriggers}; defaults follow host.json `extensions.queues`. */
export interface QueueTriggersOptions {
  /** Where host and function logs go. */
  readonly log: (line: string) => void;
  /** App settings that `connection` and `%NAME%` queue names resolve against. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Messages fetched at once, as `batchSize`. @default 16 */
  readonly batchSize?: number;
  /** Deliveries before a message moves to `<queue>-poison`, as `maxDequeueCount`. @default 5 */
  readonly maxDequeueCount?: number;
  /** Seconds a failed message stays invisible before its next delivery, as `visibilityTimeout`. @default 0 */
  readonly retryDelaySeconds?: number;
  /** First wait after an empty poll; it doubles up to the longest. @default 100 */
  readonly minPollingIntervalMs?: number;
  /** Longest wait between polls of an empty queue (the real host: one minute). @default 2000 */
  readonly maxPollingIntervalMs?: number;
  /** Seconds a message is hidden while its function runs; renewed at half. @default 600 */
  readonly leaseSeconds?: number;
}

/** Running queue listeners. */
export interface QueueTriggers {
  /** Stops polling and waits for the functions that are running to finish. */
  stop(): Promise<void>;
}

/**
 * Polls the storage queue of every `queueTrigger` registration and calls the function with each
 * message, as the Functions host's queue extension does: messages are base64 (decoded, then
 * parsed when they are JSON), `context.triggerMetadata` carries `dequeueCount`, `id`,
 * `popReceipt` and the times; a message is deleted when the function succeeds, made visible
 * again after a failure, and moved to `<queue>-poison` after its `maxDequeueCount`-th failure.
 *
 * NOTE: connections resolve to connection strings only (`<connection>` as an app setting);
 * identity-based connections (`<connection>__queueServiceUri`) are not supported locally.
 */
export function startQueueTriggers(
  registrations: readonly FunctionRegistration[],
  options: QueueTriggersOptions,
): QueueTriggers {
  const stopping = new AbortController();
  const loops = registrations
    .filter((registration) => registration.trigger.type === 'queueTrigger')
    .flatMap((registration) => {
      const queues = queuesFor(registration, options);
      if (!queues) return [];
      return [listen(registration, queues, options, stopping.signal)];
    });
  return {
    stop: async () => {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

/** A trigger's queue, and the poison queue its failed messages end in. */
interface TriggerQueues {
  readonly queue: QueueClient;
  readonly poison: QueueClient;
}

function queuesFor(
  registration: FunctionRegistration,
  { env = process.env, log }: QueueTriggersOptions,
): TriggerQueues | undefined {
  const { connection, queueName } = registration.trigger;
  const setting = typeof connection === 'string' ? connection : 'AzureWebJobsStorage';
  const connectionString = env[setting];
  const name = (typeof queueName === 'string' ? queueName : '').replace(
    /^%(\w+)%$/,
    (_, key: string) => env[key] ?? '',
  );
  if (!connectionString || !name) {
    log(`[host] ${registration.name}: no queue (setting ${setting} or the queue name is missing).`);
    return undefined;
  }
  const service = QueueServiceClient.fromConnectionString(connectionString);
  return { queue: service.getQueueClient(name), poison: service.getQueueClient(`${name}-poison`) };
}

async function listen(
  registration: FunctionRegistration,
  queues: TriggerQueues,
  options: QueueTriggersOptions,
  stopping: AbortSignal,
): Promise<void> {
  const { queue } = queues;
  const { batchSize = 16, minPollingIntervalMs = 100, maxPollingIntervalMs = 2000 } = options;
  const running = new Set<Promise<void>>();
  let wait = minPollingIntervalMs;
  while (!stopping.aborted) {
    // Like the host, fetch a new batch once half of the last one has finished.
    if (running.size > batchSize / 2) {
      await Promise.race(running);
      continue;
    }
    let messages: DequeuedMessageItem[] = [];
    try {
      const response = await queue.receiveMessages({
        numberOfMessages: batchSize,
        visibilityTimeout: options.leaseSeconds ?? 600,
      });
      messages = response.receivedMessageItems;
    } catch (error) {
      // A queue that does not exist yet is an empty queue, as for the real host.
      if ((error as { statusCode?: number }).statusCode !== 404) {
        options.log(`[host] ${registration.name}: polling ${queue.name} failed: ${String(error)}`);
      }
    }
    if (messages.length === 0) {
      await sleep(wait, undefined, { signal: stopping }).catch(() => undefined);
      wait = Math.min(wait * 2, maxPollingIntervalMs);
      continue;
    }
    wait = minPollingIntervalMs;
    for (const message of messages) {
      const task: Promise<void> = deliver(registration, queues, message, options).finally(() =>
        running.delete(task),
      );
      running.add(task);
    }
  }
  await Promise.all(running);
}

async function deliver(
  registration: FunctionRegistration,
  { queue, poison }: TriggerQueues,
  message: DequeuedMessageItem,
  options: QueueTriggersOptions,
): Promise<void> {
  const { log, maxDequeueCount = 5, retryDelaySeconds = 0, leaseSeconds = 600 } = options;
  let popReceipt = message.popReceipt;
  const keepHidden = setInterval(
    () => {
      queue
        .updateMessage(message.messageId, popReceipt, undefined, leaseSeconds)
        .then((updated) => void (popReceipt = updated.popReceipt ?? popReceipt))
        .catch((error: unknown) =>
          log(`[host] ${registration.name}: renewing a message failed: ${String(error)}`),
        );
    },
    (leaseSeconds * 1000) / 2,
  );

  let failure: unknown;
  try {
    await invoke(registration, message, log);
  } catch (error) {
    failure = error;
  } finally {
    clearInterval(keepHidden);
  }

  try {
    if (failure === undefined) {
      await queue.deleteMessage(message.messageId, popReceipt);
    } else if (message.dequeueCount >= maxDequeueCount) {
      await poison.createIfNotExists();
      await poison.sendMessage(message.messageText);
      await queue.deleteMessage(message.messageId, popReceipt);
      log(
        `[host] ${registration.name}: message ${message.messageId} moved to ${poison.name} after ${message.dequeueCount} deliveries.`,
      );
    } else {
      await queue.updateMessage(message.messageId, popReceipt, undefined, retryDelaySeconds);
    }
  } catch (error) {
    log(
      `[host] ${registration.name}: settling message ${message.messageId} failed: ${String(error)}`,
    );
  }
}

async function invoke(
  registration: FunctionRegistration,
  message: DequeuedMessageItem,
  log: (line: string) => void,
): Promise<void> {
  const text = decodeBase64(message.messageText);
  if (text === undefined) {
    throw new Error('The message is not base64, as host.json messageEncoding expects.');
  }
  let input: unknown = text;
  try {
    input = JSON.parse(text) as unknown;
  } catch {
    // Plain text stays a string, as the worker passes it.
  }
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: registration.name,
    triggerMetadata: {
      id: message.messageId,
      popReceipt: message.popReceipt,
      dequeueCount: message.dequeueCount,
      insertionTime: message.insertedOn.toISOString(),
      expirationTime: message.expiresOn.toISOString(),
      nextVisibleTime: message.nextVisibleOn.toISOString(),
      queueTrigger: text,
    },
    logHandler: (level, ...args) => {
      if (level === 'debug' || level === 'trace') return;
      log(`[${registration.name}] ${level}: ${args.map(String).join(' ')}`);
    },
  });
  try {
    await registration.handler(input, context);
  } catch (error) {
    log(
      `[${registration.name}] error: ${(error as Error).name ?? 'error'}: ${(error as Error).message}`,
    );
    throw error;
  }
}

function decodeBase64(text: string): string | undefined {
  const compact = text.trim();
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}
