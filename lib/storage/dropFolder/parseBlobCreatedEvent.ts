import type { BlobLocation } from '../BlobLocation.js';
import { InvalidDropEventError } from '../errors/InvalidDropEventError.js';

/** What the drop folder reads from a `Microsoft.Storage.BlobCreated` event. */
export interface BlobCreatedEvent {
  /** Event Grid's ID of the event, for logs. */
  readonly id: string;
  readonly blob: BlobLocation;
}

const blobCreated = 'Microsoft.Storage.BlobCreated';
const subjectPattern = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;

/**
 * Reads a storage-queue message that Event Grid delivered: one event in the Event Grid schema
 * (`eventType`) or the CloudEvents schema (`type`), as an object or as JSON text. Other event
 * types (a subscription without a filter also sends `BlobDeleted`) give undefined: they are not
 * work for the drop folder.
 *
 * The blob comes from the event's `subject`, which names it unescaped
 * (`/blobServices/default/containers/<container>/blobs/<name>`).
 *
 * @throws InvalidDropEventError when the message is not such an event
 */
export function parseBlobCreatedEvent(message: unknown): BlobCreatedEvent | undefined {
  let event = message;
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event) as unknown;
    } catch {
      throw new InvalidDropEventError('it is not JSON');
    }
  }
  if (Array.isArray(event) && event.length === 1) event = event[0] as unknown;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidDropEventError('it is not one JSON object');
  }
  const fields = event as Record<string, unknown>;
  const type = fields.eventType ?? fields.type;
  if (typeof type !== 'string') throw new InvalidDropEventError('it has no eventType');
  if (type !== blobCreated) return undefined;

  const subject = typeof fields.subject === 'string' ? subjectPattern.exec(fields.subject) : null;
  const [, container, blob] = subject ?? [];
  if (!container || !blob) {
    throw new InvalidDropEventError('its subject does not name a blob of a blob container');
  }
  return { id: typeof fields.id === 'string' ? fields.id : '', blob: { container, blob } };
}
