import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { openApiDocument } from '../lib/api/openApiDocument.js';

/** Serves the OpenAPI document with this app's own base URL, for API Management to import. */
export function swagger(request: HttpRequest): HttpResponseInit {
  const url = new URL(request.url);
  const prefix = url.pathname.slice(0, url.pathname.lastIndexOf('/'));
  return { status: 200, jsonBody: openApiDocument(`${url.origin}${prefix}`) };
}

app.http('swagger', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'swagger.json',
  handler: swagger,
});
