import type { IncomingMessage } from 'node:http';

import { BadParameterError } from './errors/BadParameterError.js';

/**
 * Reads a request body as JSON. An empty body reads as `undefined`; a body over `maxBytes` or one
 * that is not JSON is a bad parameter. The rest of an oversized body is drained, not kept.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;

  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) {
      chunks.push(chunk);
    }
  }

  if (size > maxBytes) {
    throw new BadParameterError('body', `at most ${maxBytes} bytes`);
  }
  if (size === 0) {
    return undefined;
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // The parser's message quotes the body, which may hold a secret value: not passed on.
    throw new BadParameterError('body', 'JSON');
  }
}
