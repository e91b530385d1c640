import type { HttpResponseInit } from '@azure/functions';
import type { AppServices } from '../app/createAppServices.js';
import type { CopyMethod } from '../storage/DocumentStore.js';
import { runStorageSeal, type SealLog } from '../storage/runStorageSeal.js';
import { errorResponse } from './errorResponse.js';
import { readStorageSealRequest } from './readStorageSealRequest.js';

/** The JSON body of a successful storage-mode seal. */
export interface StorageSealResponse {
  readonly destination: BlobDescription;
  readonly source: BlobDescription;
  /** Signing API key ID that made the seal. */
  readonly keyId: string;
  readonly fieldName: string;
  /**
   * How the original bytes got into the destination: `service`, copied by the storage service
   * block by block; `staged`, copied whole by the service, sealed in a staging blob and copied
   * whole again; `streamed`, through this app; `in-place`, not copied (a blob sealed in place).
   */
  readonly copy: CopyMethod;
  readonly durationMs: number;
}

interface BlobDescription {
  readonly container: string;
  readonly blob: string;
  readonly etag: string;
  readonly sizeBytes: number;
}

/**
 * Answers a storage-mode request (`{ "source", "destination", ... }`): checks it, seals the
 * source blob into the destination blob, and answers with JSON naming the sealed blob, its ETag
 * and size, the key ID and the time taken; or with the error body of direct mode.
 */
export async function answerStorageSeal(
  fields: Readonly<Record<string, unknown>>,
  services: Pick<AppServices, 'settings' | 'signer' | 'telemetry' | 'storage'>,
  invocation: {
    readonly invocationId: string;
    readonly clientIp?: string;
    readonly startedAt: number;
    readonly log: SealLog;
  },
): Promise<HttpResponseInit> {
  try {
    const seal = await runStorageSeal(
      () => {
        const request = readStorageSealRequest(fields);
        const subFilter = request.options.subFilter ?? services.settings.subFilter;
        return {
          source: request.source,
          ...(request.sourceEtag === undefined ? {} : { sourceEtag: request.sourceEtag }),
          destination: request.destination,
          overwrite: request.overwrite,
          seal: { ...request.options, subFilter, signingTime: new Date() },
        };
      },
      { ...services.storage, signer: services.signer, telemetry: services.telemetry },
      { ...invocation, trigger: 'http' },
    );
    const describe = (version: typeof seal.source): BlobDescription => ({
      ...version.location,
      etag: version.etag,
      sizeBytes: version.size,
    });
    const body: StorageSealResponse = {
      destination: describe(seal.destination),
      source: describe(seal.source),
      keyId: seal.keyId,
      fieldName: seal.fieldName,
      copy: seal.copyMethod,
      durationMs: seal.durationMs,
    };
    return {
      status: 200,
      headers: { 'x-seal-key-id': seal.keyId, 'x-seal-field': seal.fieldName },
      jsonBody: body,
    };
  } catch (error) {
    const { status, body } = errorResponse(error, invocation.invocationId);
    return { status, jsonBody: body };
  }
}
