import {
  app,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { answerStorageSeal } from '../lib/api/answerStorageSeal.js';
import { clientAddress } from '../lib/api/clientAddress.js';
import { errorResponse } from '../lib/api/errorResponse.js';
import { jsonWithBase64Stream } from '../lib/api/jsonWithBase64Stream.js';
import { readSealRequest } from '../lib/api/readSealRequest.js';
import { appServices, type AppServices } from '../lib/app/createAppServices.js';
import { SealOpsError } from '../lib/errors/SealOpsError.js';
import { sealInMemory } from '../lib/sealing/sealInMemory.js';

/**
 * `POST /api/seal-pdf`: seals the PDF in the request (direct mode) and answers with the sealed PDF,
 * raw or in JSON as the request came; or, for a JSON body naming a `source` blob (storage mode),
 * seals that blob into the `destination` blob and answers with JSON describing it. Every failure
 * is a JSON error with a stable code.
 */
export async function sealPdf(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const started = performance.now();
  const clientIp = clientAddress(request);
  let services: AppServices | undefined;
  let sizeBytes: number | undefined;
  try {
    services = appServices();
    const sealRequest = await readSealRequest(request, services.settings.maxPdfBytes);
    if (sealRequest.mode === 'storage') {
      return await answerStorageSeal(sealRequest.fields, services, {
        invocationId: context.invocationId,
        clientIp,
        startedAt: started,
        log: context,
      });
    }
    const { pdf, options, responseFormat, hashedOriginal, ...received } = sealRequest;
    sizeBytes = received.sizeBytes;
    const sealed = await sealInMemory(
      pdf,
      services.signer,
      {
        ...options,
        subFilter: options.subFilter ?? services.settings.subFilter,
        signingTime: new Date(),
      },
      hashedOriginal,
    );
    const { keyId } = sealed.signature;
    const durationMs = Math.round(performance.now() - started);
    context.info(
      `Sealed ${sizeBytes} bytes with key ${keyId} into field ${sealed.plan.fieldName} ` +
        `in ${durationMs} ms.`,
    );
    services.telemetry.emit({
      name: 'SealRequest',
      outcome: 'success',
      statusCode: 200,
      mode: 'direct',
      sizeBytes,
      durationMs,
      keyId,
      clientIp,
      invocationId: context.invocationId,
    });

    const headers = { 'x-seal-key-id': keyId, 'x-seal-field': sealed.plan.fieldName };
    if (responseFormat === 'json') {
      return {
        status: 200,
        headers: { ...headers, 'content-type': 'application/json' },
        body: jsonWithBase64Stream('pdf', sealed.parts, {
          keyId,
          fieldName: sealed.plan.fieldName,
          sizeBytes: sealed.plan.totalSize,
        }),
      };
    }
    return {
      status: 200,
      headers: {
        ...headers,
        'content-type': 'application/pdf',
        'content-length': String(sealed.plan.totalSize),
      },
      body: ReadableStream.from(sealed.parts),
    };
  } catch (error) {
    const { status, body } = errorResponse(error, context.invocationId);
    if (error instanceof SealOpsError) {
      context.warn(`Seal refused with ${status} ${body.error.code}: ${body.error.message}`);
    } else {
      context.error('Seal failed unexpectedly:', error);
    }
    services?.telemetry.emit({
      name: 'SealRequest',
      outcome: 'failure',
      statusCode: status,
      errorCode: body.error.code,
      mode: 'direct',
      ...(sizeBytes === undefined ? {} : { sizeBytes }),
      durationMs: Math.round(performance.now() - started),
      clientIp,
      invocationId: context.invocationId,
    });
    return { status, jsonBody: body };
  }
}

app.http('seal-pdf', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'seal-pdf',
  handler: sealPdf,
});
