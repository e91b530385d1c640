import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { BlobServiceClient } from '@azure/storage-blob';

import { RotationLeaseLostError } from '../rotation/errors/RotationLeaseLostError.js';
import { RotationStateConflictError } from '../rotation/errors/RotationStateConflictError.js';
import {
  newRotationState,
  parseRotationState,
  type RotationState,
} from '../rotation/RotationState.js';
import type {
  LeasedRotationState,
  RotationStateStore,
  StoredRotationState,
} from '../rotation/RotationStateStore.js';

/** The container that holds one state blob per credential. */
export const defaultRotationContainer = 'sealops-rotation';

const leaseLostCodes = new Set([
  'LeaseLost',
  'LeaseIdMismatchWithBlobOperation',
  'LeaseNotPresentWithBlobOperation',
  'LeaseIdMismatchWithLeaseOperation',
  'LeaseNotPresentWithLeaseOperation',
  'LeaseIsBrokenAndCannotBeRenewed',
  'LeaseAlreadyBroken',
]);

/**
 * {@link RotationStateStore} in Blob Storage: blob `<credential>.json` in `sealops-rotation`, JSON
 * written with `If-Match` on the ETag it was read with, under a blob lease that a crashed holder
 * loses when its duration runs out. Azurite serves the same API locally.
 */
export class BlobRotationStateStore implements RotationStateStore {
  readonly #container: ContainerClient;
  #containerReady: Promise<unknown> | undefined;

  constructor(container: ContainerClient) {
    this.#container = container;
  }

  /** A store in `containerName` of the account behind `connectionString` (`AzureWebJobsStorage`). */
  static fromConnectionString(
    connectionString: string,
    containerName = defaultRotationContainer,
  ): BlobRotationStateStore {
    const service = BlobServiceClient.fromConnectionString(connectionString);
    return new BlobRotationStateStore(service.getContainerClient(containerName));
  }

  async read(credential: string): Promise<StoredRotationState> {
    return readState(this.#blob(credential), credential);
  }

  async acquire(
    credential: string,
    durationSeconds: number,
  ): Promise<LeasedRotationState | undefined> {
    this.#containerReady ??= this.#container.createIfNotExists().catch((error: unknown) => {
      this.#containerReady = undefined;
      throw error;
    });
    await this.#containerReady;
    const blob = this.#blob(credential);
    const lease = blob.getBlobLeaseClient();
    const taken = await acquireLease(lease, durationSeconds).catch(async (error: unknown) => {
      if (statusOf(error) !== 404) throw error;
      // A lease needs a blob: create an empty one (a new state) unless another run just did.
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((created: unknown) => {
        if (![409, 412].includes(statusOf(created) ?? 0)) throw created;
      });
      return acquireLease(lease, durationSeconds);
    });
    if (!taken) return undefined;
    const leaseId = lease.leaseId;
    return {
      read: () => readState(blob, credential),
      write: async (state, etag) => {
        const text = `${JSON.stringify(state, null, 2)}\n`;
        try {
          const response = await blob.upload(text, Buffer.byteLength(text), {
            conditions: { leaseId, ...(etag === undefined ? {} : { ifMatch: etag }) },
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          return response.etag ?? '';
        } catch (error) {
          throw leaseOrConflict(error, credential);
        }
      },
      renew: async () => {
        try {
          await lease.renewLease();
        } catch (error) {
          throw leaseOrConflict(error, credential);
        }
      },
      release: async () => {
        await lease.releaseLease().catch(() => undefined);
      },
    };
  }

  #blob(credential: string): BlockBlobClient {
    return this.#container.getBlockBlobClient(
      `${credential.replace(/[^0-9A-Za-z._-]/g, '_')}.json`,
    );
  }
}

/** Takes the lease; false when another holder has it (409). */
async function acquireLease(lease: BlobLeaseClient, durationSeconds: number): Promise<boolean> {
  try {
    await lease.acquireLease(durationSeconds);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

async function readState(blob: BlockBlobClient, credential: string): Promise<StoredRotationState> {
  let text: string;
  let etag: string | undefined;
  try {
    const response = await blob.download();
    etag = response.etag;
    text = await readText(response.readableStreamBody);
  } catch (error) {
    if (statusOf(error) === 404) return { state: newRotationState(credential), etag: undefined };
    throw error;
  }
  const state: RotationState = parseRotationState(text, credential);
  return { state, etag };
}

async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stream === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function leaseOrConflict(error: unknown, credential: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && leaseLostCodes.has(code))
    return new RotationLeaseLostError(credential);
  if (statusOf(error) === 412) return new RotationStateConflictError(credential);
  return error as Error;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
