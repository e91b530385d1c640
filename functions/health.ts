import { app, type HttpResponseInit } from '@azure/functions';

/** Liveness probe for load balancers and runbooks; reveals nothing about configuration. */
export function health(): HttpResponseInit {
  return { status: 200, jsonBody: { status: 'ok' } };
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health });
