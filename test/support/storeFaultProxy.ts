import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does differently from the store behind it. */
export interface StoreFaults {
  /** Answer Put Block From URL with 501, as Azurite did before 3.37. */
  readonly refuseBlockFromUrl?: boolean;
  /** Answer Copy Blob From URL (the synchronous copy) with 501, as a store without it would. */
  readonly refuseSynchronousCopy?: boolean;
  /**
   * Pass Copy Blob on, but report it as still pending, as Azure may for a large copy: the
   * caller must not take the destination for finished.
   */
  readonly reportCopyPending?: boolean;
}

/** A loopback blob endpoint in front of Azurite's, with {@link StoreFaults}. */
export interface StoreFaultProxy {
  /** The blob endpoint to use instead of the upstream's (`http://127.0.0.1:<port>/<account>`). */
  readonly blobUrl: string;
  /** Connection string of the upstream, with its blob endpoint moved to this proxy. */
  readonly connectionString: string;
  /** How many requests got a fault, by kind. */
  readonly faults: () => Readonly<Record<keyof StoreFaults, number>>;
  close(): Promise<void>;
}

type RequestKind = 'blockFromUrl' | 'synchronousCopy' | 'copy' | 'other';

function kindOf(request: IncomingMessage): RequestKind {
  if (request.method !== 'PUT' || request.headers['x-ms-copy-source'] === undefined) return 'other';
  if (/[?&]comp=block(&|$)/.test(request.url ?? '')) return 'blockFromUrl';
  if (request.headers['x-ms-requires-sync'] === 'true') return 'synchronousCopy';
  return 'copy';
}

/**
 * Starts a proxy that forwards every request to Azurite except those its faults change. It lets
 * a test see the app find out what a store cannot do, and fall back, against a real store.
 */
export async function startStoreFaultProxy(
  upstreamConnectionString: string,
  faults: StoreFaults,
): Promise<StoreFaultProxy> {
  const upstream = new URL(/BlobEndpoint=([^;]+)/.exec(upstreamConnectionString)?.[1] ?? '');
  const counts = { refuseBlockFromUrl: 0, refuseSynchronousCopy: 0, reportCopyPending: 0 };
  const server: Server = createServer((request, response) => {
    const kind = kindOf(request);
    const refusal =
      (kind === 'blockFromUrl' && faults.refuseBlockFromUrl && 'refuseBlockFromUrl') ||
      (kind === 'synchronousCopy' && faults.refuseSynchronousCopy && 'refuseSynchronousCopy');
    if (refusal) {
      counts[refusal] += 1;
      request.resume();
      response.writeHead(501, {
        'content-type': 'application/xml',
        'x-ms-error-code': 'NotImplemented',
      });
      response.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>NotImplemented</Code>' +
          '<Message>This operation is not implemented.</Message></Error>',
      );
      return;
    }
    const pending = kind === 'copy' && faults.reportCopyPending === true;
    const outgoing = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (pending && answer.statusCode === 202) {
          counts.reportCopyPending += 1;
          headers['x-ms-copy-status'] = 'pending';
        }
        response.writeHead(answer.statusCode ?? 502, headers);
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
    faults: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
