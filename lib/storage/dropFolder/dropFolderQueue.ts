/**
 * The storage queue (in the `AzureWebJobsStorage` account) that Event Grid fills with the
 * inbox's `BlobCreated` events, and that the drop-folder function is triggered by. Fixed, so
 * that the function's registration needs no setting; its poison queue is `sealops-drop-poison`.
 */
export const dropFolderQueue = 'sealops-drop';

/** Attempts before the host moves a message to the poison queue (host.json `maxDequeueCount`). */
export const dropFolderMaxDequeueCount = 5;
