import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A blob endpoint that does not implement Put Block From URL, as Azurite did before 3.37. */
export interface RefusingBlockFromUrlProxy {
  /** The blob endpoint to use instead of the upstream's (`http://127.0.0.1:<port>/<account>`). */
  readonly blobUrl: string;
  /** Connection string of the upstream, with its blob endpoint moved to this proxy. */
  readonly connectionString: string;
  /** How many Put Block From URL requests were answered with 501. */
  readonly refused: () => number;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of Azurite's blob endpoint that forwards every request except
 * Put Block From URL, which it answers with 501 NotImplemented as stores without service-side
 * copy do. It lets a test see the app find out that a store cannot copy and fall back.
 */
export async function startRefusingBlockFromUrlProxy(
  upstreamConnectionString: string,
): Promise<RefusingBlockFromUrlProxy> {
  const upstream = new URL(/BlobEndpoint=([^;]+)/.exec(upstreamConnectionString)?.[1] ?? '');
  let refused = 0;
  const server: Server = createServer((request, response) => {
    const isBlockFromUrl =
      request.method === 'PUT' &&
      request.headers['x-ms-copy-source'] !== undefined &&
      /[?&]comp=block(&|$)/.test(request.url ?? '');
    if (isBlockFromUrl) {
      refused += 1;
      request.resume();
      response.writeHead(501, {
        'content-type': 'application/xml',
        'x-ms-error-code': 'NotImplemented',
      });
      response.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>NotImplemented</Code>' +
          '<Message>Put Block From URL is not implemented.</Message></Error>',
      );
      return;
    }
    const outgoing = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const blobUrl = `http://127.0.0.1:${port}${upstream.pathname}`;
  return {
    blobUrl,
    connectionString: upstreamConnectionString.replace(
      /BlobEndpoint=[^;]+/,
      `BlobEndpoint=${blobUrl}`,
    ),
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
