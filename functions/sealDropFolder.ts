import { app, type InvocationContext } from '@azure/functions';
import { appServices } from '../lib/app/createAppServices.js';
import { ConfigurationError } from '../lib/config/ConfigurationError.js';
import {
  dropFolderMaxDequeueCount,
  dropFolderQueue,
} from '../lib/storage/dropFolder/dropFolderQueue.js';
import { parseBlobCreatedEvent } from '../lib/storage/dropFolder/parseBlobCreatedEvent.js';
import { processDroppedBlob } from '../lib/storage/dropFolder/processDroppedBlob.js';

/**
 * The drop folder: triggered by the `BlobCreated` events that Event Grid delivers to the
 * `sealops-drop` queue (on the local stack, a stand-in watching the inbox fills it), it seals
 * each PDF dropped into the inbox container into the outbox container, or moves it to the failed
 * container with the reason in its metadata. A failure that may pass is thrown, so the queue
 * delivers the message again (five times at most, then to `sealops-drop-poison`).
 */
export async function sealDropFolder(message: unknown, context: InvocationContext): Promise<void> {
  const services = appServices();
  const folder = services.storage.dropFolder;
  if (!folder) {
    throw new ConfigurationError('SEAL_DROP_INBOX', 'missing, so no drop folder is configured');
  }
  const event = parseBlobCreatedEvent(message);
  if (!event) {
    context.info('Ignored a drop-folder event that is not Microsoft.Storage.BlobCreated.');
    return;
  }
  const outcome = await processDroppedBlob(
    event.blob,
    {
      ...services.storage,
      folder,
      signer: services.signer,
      telemetry: services.telemetry,
      subFilter: services.settings.subFilter,
    },
    {
      invocationId: context.invocationId,
      dequeueCount: Number(context.triggerMetadata?.dequeueCount ?? 1),
      maxDequeueCount: dropFolderMaxDequeueCount,
      log: context,
    },
  );
  context.info(`Drop-folder event ${event.id} for ${event.blob.blob}: ${outcome}.`);
}

app.storageQueue('seal-drop-folder', {
  queueName: dropFolderQueue,
  connection: 'AzureWebJobsStorage',
  handler: sealDropFolder,
});
