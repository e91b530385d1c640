import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyPdfSignatures } from '../../lib/verification/verifyPdfSignatures.js';
import { makePdfCorpus, qpdf, type PdfCorpus } from '../support/pdfCorpus.js';
import { requireTool } from '../support/requireTool.js';
import { runTool } from '../support/signingServiceFixture.js';
import { startStackProcess, type StackProcess } from '../support/startStackProcess.js';

interface ErrorBody {
  error: { code: string; message: string; invocationId: string };
}

function sealer(stack: StackProcess) {
  return (
    body: string | Uint8Array,
    options: { query?: string; contentType?: string; key?: string } = {},
  ) =>
    fetch(`${stack.baseUrl}/seal-pdf${options.query ? `?${options.query}` : ''}`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType ?? 'application/pdf',
        ...(options.key === '' ? {} : { 'x-functions-key': options.key ?? stack.functionKey }),
      },
      body,
    });
}

async function rootOf(stack: StackProcess): Promise<string> {
  return readFile(join(stack.stateDir, 'signing-service/pki/root.cert.pem'), 'utf8');
}

let scratchCount = 0;
/** Writes `pdf` to a file of the stack's own scratch folder, for the external checkers. */
async function toFile(stack: StackProcess, pdf: Uint8Array): Promise<string> {
  const path = join(stack.stateDir, `scratch-${++scratchCount}.pdf`);
  await writeFile(path, pdf);
  return path;
}

async function pdfsig(stack: StackProcess, pdf: Uint8Array): Promise<string> {
  const result = await runTool('pdfsig', [
    '-nssdir',
    stack.nssDatabase ?? '',
    await toFile(stack, pdf),
  ]);
  return result.stdout;
}

describe('seal-pdf on the local stack', () => {
  let stack: StackProcess;
  let corpus: PdfCorpus;
  let root: string;
  let seal: ReturnType<typeof sealer>;

  before(async () => {
    [stack, corpus] = await Promise.all([startStackProcess(), makePdfCorpus()]);
    root = await rootOf(stack);
    seal = sealer(stack);
  });

  after(async () => {
    await stack?.stop();
    await corpus?.remove();
  });

  const structures = [
    'classic',
    'xref-stream-pdf-lib',
    'xref-stream-qpdf',
    'hybrid',
    'linearized',
    'incremental',
    'acroform',
  ];
  for (const name of structures) {
    it(`seals the ${name} PDF so that the verifier, pdfsig and qpdf accept it`, async (t) => {
      const entry = corpus.get(name);
      const original = await readFile(entry.path);
      const response = await seal(original);
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      const sealed = Buffer.from(await response.arrayBuffer());

      assert.ok(sealed.subarray(0, original.length).equals(original), 'original kept as prefix');
      const results = verifyPdfSignatures(sealed, { trustedRoots: [root] });
      const last = results.at(-1);
      assert.equal(last?.valid, true, JSON.stringify(last?.checks));
      assert.equal(last?.coversWholeDocument, true);

      if (await requireTool(t, 'pdfsig')) {
        const report = await pdfsig(stack, sealed);
        assert.match(report, /Signature is Valid/);
        assert.match(report, /Total document signed/);
        assert.match(report, /Certificate is Trusted/);
      }
      if (await requireTool(t, 'qpdf')) {
        const check = await qpdf(['--check', await toFile(stack, sealed)]);
        assert.equal(check.code, 0, check.stderr);
      }
    });
  }

  it('keeps an earlier seal valid when the document is sealed again', async (t) => {
    const once = Buffer.from(
      await (await seal(await readFile(corpus.get('classic').path))).arrayBuffer(),
    );
    const response = await seal(once);
    assert.equal(response.headers.get('x-seal-field'), 'Seal2');
    const twice = Buffer.from(await response.arrayBuffer());

    const [first, second] = verifyPdfSignatures(twice, { trustedRoots: [root] });
    assert.equal(first?.valid, true);
    assert.equal(first?.coversWholeDocument, false);
    assert.equal(second?.valid, true);
    assert.equal(second?.coversWholeDocument, true);
    if (await requireTool(t, 'pdfsig')) {
      const report = await pdfsig(stack, twice);
      assert.equal(report.match(/Signature is Valid/g)?.length, 2, report);
    }
  });

  it('answers a JSON request with JSON carrying the sealed PDF in base64', async () => {
    const original = await readFile(corpus.get('classic').path);
    const response = await seal(
      JSON.stringify({ pdf: original.toString('base64'), reason: 'Archived', timestamp: false }),
      { contentType: 'application/json' },
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      pdf: string;
      keyId: string;
      fieldName: string;
      sizeBytes: number;
    };
    const sealed = Buffer.from(body.pdf, 'base64');
    assert.equal(sealed.length, body.sizeBytes);
    assert.equal(body.fieldName, 'Seal1');
    assert.equal(body.keyId, response.headers.get('x-seal-key-id'));
    assert.equal(verifyPdfSignatures(sealed, { trustedRoots: [root] })[0]?.valid, true);
  });

  it('writes the reason, location, contact and field name the caller gave', async () => {
    const original = await readFile(corpus.get('classic').path);
    const query = 'reason=Approved&location=Vienna&contactInfo=ops%40example.org&fieldName=Company';
    const response = await seal(original, { query });
    assert.equal(response.headers.get('x-seal-field'), 'Company');
    const update = Buffer.from(await response.arrayBuffer())
      .subarray(original.length)
      .toString('latin1');
    assert.match(update, /\/Reason \(Approved\)/);
    assert.match(update, /\/Location \(Vienna\)/);
    assert.match(update, /\/ContactInfo \(ops@example.org\)/);
    assert.match(update, /\/T \(Company\)/);
    assert.match(update, /\/SubFilter \/adbe\.pkcs7\.detached/);
  });

  it('embeds an RFC 3161 timestamp when one is asked for', async () => {
    const original = await readFile(corpus.get('classic').path);
    const response = await seal(original, { query: 'timestamp=true' });
    assert.equal(response.status, 200);
    const [result] = verifyPdfSignatures(Buffer.from(await response.arrayBuffer()), {
      trustedRoots: [root],
    });
    assert.equal(result?.checks.timestamp.status, 'passed', result?.checks.timestamp.detail);
    assert.ok(result?.timestamp?.genTime instanceof Date);
  });

  it('refuses a caller without a function key or with a wrong one with 401', async () => {
    const original = await readFile(corpus.get('classic').path);
    assert.equal((await seal(original, { key: '' })).status, 401);
    assert.equal((await seal(original, { key: 'not-the-key' })).status, 401);
  });

  const refusals: [string, () => Promise<Uint8Array>, number, string, RegExp][] = [
    [
      'text that is not a PDF',
      () => Promise.resolve(Buffer.from('hello')),
      400,
      'NOT_A_PDF',
      /not a PDF/,
    ],
    [
      'a PDF cut off before its cross-reference table',
      async () => (await readFile(corpus.get('classic').path)).subarray(0, 600),
      422,
      'PDF_DAMAGED',
      /damaged/,
    ],
    [
      'an encrypted PDF',
      async () => readFile(corpus.get('encrypted').path),
      422,
      'PDF_ENCRYPTED',
      /encrypted/,
    ],
  ];
  for (const [what, body, status, code, message] of refusals) {
    it(`answers ${status} ${code} to ${what}`, async () => {
      const response = await seal(await body());
      assert.equal(response.status, status);
      const { error } = (await response.json()) as ErrorBody;
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(' at '), 'no stack trace');
    });
  }

  it('answers 400 to JSON that is malformed, has an unknown field or bad base64', async () => {
    const cases: [string, string][] = [
      ['{"pdf":', 'MALFORMED_JSON'],
      ['{"pdf":"JVBERi0=","reasn":"typo"}', 'INVALID_REQUEST'],
      ['{"pdf":"%%%%"}', 'INVALID_REQUEST'],
      ['{"pdf":"JVBERi0=","timestamp":"yes"}', 'INVALID_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const response = await seal(body, { contentType: 'application/json' });
      assert.equal(response.status, 400, body);
      assert.equal(((await response.json()) as ErrorBody).error.code, code, body);
    }
  });

  it('answers 415 to a body that is neither a PDF nor JSON', async () => {
    const response = await seal('a,b', { contentType: 'text/csv' });
    assert.equal(response.status, 415);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 from the declared length alone, before the body is sent', async () => {
    const url = new URL(`${stack.baseUrl}/seal-pdf`);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/pdf',
          'content-length': String(60 * 1024 * 1024),
          'x-functions-key': stack.functionKey,
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on('error', reject);
      // Only the first bytes are ever sent: the answer must not wait for the other 60 MB.
      request.write('%PDF-1.7\n');
    });
    assert.equal(status, 413);
  });

  it('answers 413 to a base64 PDF over 50 MB', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 3, 0x41).toString('base64');
    const response = await seal(`{"pdf":"${big}"}`, { contentType: 'application/json' });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as ErrorBody).error.code, 'PDF_TOO_LARGE');
  });

  it('records each seal as an event with the key ID and never the key', async () => {
    const events = await readFile(join(stack.telemetryDir, 'AppEvents.jsonl'), 'utf8');
    const rows = events
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            Name: string;
            Properties: Record<string, string>;
          },
      );
    const seals = rows.filter((row) => row.Name === 'SealRequest');
    assert.ok(seals.some((row) => row.Properties.outcome === 'success' && row.Properties.keyId));
    assert.ok(seals.some((row) => row.Properties.errorCode === 'PDF_ENCRYPTED'));

    const { apiKeyHex } = JSON.parse(
      await readFile(join(stack.stateDir, 'stack/signing-key.json'), 'utf8'),
    ) as { apiKeyHex: string };
    const logged = events + stack.output.join('');
    assert.ok(!logged.includes(apiKeyHex), 'the API key never appears in telemetry or logs');
  });

  it('answers 502 SIGNING_KEY_REFUSED once the signing service revokes the key', async () => {
    const { keyId } = JSON.parse(
      await readFile(join(stack.stateDir, 'stack/signing-key.json'), 'utf8'),
    ) as { keyId: string };
    const revoked = await fetch(`${stack.signingServiceUrl}/admin/keys/${keyId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.signingAdminToken}` },
    });
    assert.equal(revoked.status, 200);

    const response = await seal(await readFile(corpus.get('classic').path));
    assert.equal(response.status, 502);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'SIGNING_KEY_REFUSED');
    assert.match(error.message, new RegExp(keyId));
  });
});

/**
 * Stands between the app and the signing service: records every byte the app sends out, and can
 * drop connections or never answer, to play an unreachable or slow signing service.
 */
class SigningServiceRelay {
  readonly bodies: string[] = [];
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  mode: 'relay' | 'drop' | 'hang' = 'relay';
  target = '';
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.#server = createServer((request, response) => void this.#relay(request, response));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async #relay(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.bodies.push(body.toString('latin1'));
    this.headers.push({ ...request.headers });
    if (this.mode === 'drop') return void request.socket.destroy();
    if (this.mode === 'hang') return;
    const forwarded = Object.entries(request.headers).filter(
      ([name]) => name.startsWith('x-') || name === 'content-type',
    );
    const upstream = await fetch(`${this.target}${request.url ?? ''}`, {
      method: request.method ?? 'POST',
      headers: Object.fromEntries(forwarded) as Record<string, string>,
      body,
    });
    response.writeHead(upstream.status, { 'content-type': 'application/json' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

describe('seal-pdf and the signing service', () => {
  let stack: StackProcess;
  let corpus: PdfCorpus;
  const relay = new SigningServiceRelay();

  before(async () => {
    const relayUrl = await relay.listen();
    [stack, corpus] = await Promise.all([
      startStackProcess({ TS_API_URL: relayUrl, TS_TIMEOUT_MS: '400' }),
      makePdfCorpus(),
    ]);
    relay.target = stack.signingServiceUrl;
  });

  after(async () => {
    await stack?.stop();
    await corpus?.remove();
    await relay.close();
  });

  it('sends the signing service nothing but the digest of the signed byte ranges', async () => {
    const original = await readFile(corpus.get('classic').path);
    const response = await sealer(stack)(original);
    assert.equal(response.status, 200);
    const sealed = Buffer.from(await response.arrayBuffer());

    assert.equal(relay.bodies.length, 1);
    const [a, b, c, d] = verifyPdfSignatures(sealed, { trustedRoots: [] })[0]?.byteRange ?? [];
    const digest = createHash('sha256')
      .update(sealed.subarray(a, (a ?? 0) + (b ?? 0)))
      .update(sealed.subarray(c, (c ?? 0) + (d ?? 0)))
      .digest('base64');
    assert.equal(relay.bodies[0], JSON.stringify({ digestAlgorithm: 'SHA256', digest }));
    const sentHeaders = Object.keys(relay.headers[0] ?? {}).filter((name) => name.startsWith('x-'));
    assert.deepEqual(sentHeaders.sort(), [
      'x-authorization',
      'x-authorization-algorithm',
      'x-authorization-key',
      'x-authorization-time',
    ]);
  });

  it('answers 503 SIGNING_SERVICE_UNAVAILABLE when the signing service cannot be reached', async () => {
    relay.mode = 'drop';
    const response = await sealer(stack)(await readFile(corpus.get('classic').path));
    relay.mode = 'relay';
    assert.equal(response.status, 503);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'SIGNING_SERVICE_UNAVAILABLE');
  });

  it('answers 504 SIGNING_SERVICE_TIMEOUT when the signing service does not answer in time', async () => {
    relay.mode = 'hang';
    const response = await sealer(stack)(await readFile(corpus.get('classic').path));
    relay.mode = 'relay';
    assert.equal(response.status, 504);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'SIGNING_SERVICE_TIMEOUT');
  });
});
