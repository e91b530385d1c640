import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type { ApiKeyStore } from './ApiKeyStore.js';
import { checkAuthorization } from './checkAuthorization.js';
import { buildDetachedCms } from './cms/buildDetachedCms.js';
import type { SigningPki } from './loadSigningPki.js';
import { readSignRequestBody } from './readSignRequestBody.js';
import { sendJson } from './sendJson.js';
import type { RecordedSignRequest } from './SigningService.js';
import type { SigningServiceFaults } from './SigningServiceFaults.js';

/** What answering `/v1/sign` needs from the running service. */
export interface SignRequestContext {
  readonly pki: SigningPki;
  readonly keys: ApiKeyStore;
  readonly faults: SigningServiceFaults;
  /** The request log every `/v1/sign` request is appended to. */
  readonly requests: RecordedSignRequest[];
  /** Releases requests held by `faults.delay`, so that closing the service does not wait. */
  readonly pendingDelays: Set<() => void>;
  readonly clock: () => Date;
  readonly clockToleranceMs: number;
}

/**
 * Answers `/v1/sign` as the signing API does: injected faults first, then authentication (401),
 * then the body (400), then a detached CMS over the received digest (200).
 */
export async function handleSignRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  response: ServerResponse,
  context: SignRequestContext,
): Promise<void> {
  const record: RecordedSignRequest = { method, path, headers, body: rawBody.toString('utf8') };
  context.requests.push(record);
  if (method !== 'POST') return answer(response, record, 405, 'method_not_allowed');

  const { faults } = context;
  if (faults.delayMs > 0) await cancellableDelay(faults.delayMs, context.pendingDelays);
  if (response.destroyed) return;

  const failure = faults.takeFailure();
  if (failure !== undefined) return answer(response, record, failure, 'injected_failure');

  const now = context.clock();
  const authorization = checkAuthorization(headers, rawBody, {
    keys: context.keys,
    now,
    toleranceMs: context.clockToleranceMs,
    refusedKeyIds: faults.refusedKeyIds,
  });
  if (!authorization.ok) return answer(response, record, 401, authorization.reason);

  const body = readSignRequestBody(rawBody);
  if (typeof body === 'string') return answer(response, record, 400, body);

  const cms = buildDetachedCms(
    { digest: body.digest, timestamp: body.tsaTimestamp, time: now },
    context.pki,
  );
  record.status = 200;
  sendJson(response, 200, { signature: cms.toString('base64') });
}

/** Answers an error with a generic message: the exact reason goes to the request log only. */
function answer(
  response: ServerResponse,
  record: RecordedSignRequest,
  status: number,
  reason: string,
): void {
  record.status = status;
  record.reason = reason;
  sendJson(response, status, { error: publicMessage(status, reason) });
}

function publicMessage(status: number, reason: string): string {
  if (status === 401) return 'authentication failed';
  // A malformed body says what is wrong with it: that reveals nothing about keys.
  if (status === 400) return `bad request: ${reason}`;
  return 'request failed';
}

function cancellableDelay(ms: number, pending: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const release = (): void => {
      clearTimeout(timer);
      pending.delete(release);
      resolve();
    };
    const timer = setTimeout(release, ms);
    pending.add(release);
  });
}
