import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { CommandError } from '../CommandError.js';
import { resolveAppTarget } from '../localAppTarget.js';

const help = `Usage: sealops seal <in.pdf> <out.pdf> [options]

Seals a PDF with a running app (direct mode) and writes the sealed copy.

Options:
  --url URL          app base URL (default SEALOPS_URL or http://127.0.0.1:7071/api)
  --key KEY          function key (default SEALOPS_FUNCTION_KEY or the local stack's key)
  --reason TEXT      /Reason of the signature
  --location TEXT    /Location of the signature
  --contact TEXT     /ContactInfo of the signature
  --field NAME       signature field name (default Seal1, or the next free one)
  --timestamp        ask the signing service for an RFC 3161 timestamp
  --json             print the result as JSON`;

/** `sealops seal`: streams the PDF to `POST /seal-pdf` and the answer to the output file. */
export async function runSeal(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      contact: { type: 'string' },
      field: { type: 'string' },
      timestamp: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(help);
  const [input, output] = positionals;
  if (!input || !output || positionals.length > 2) throw new CommandError(help, 2);

  const target = await resolveAppTarget(values.url, values.key);
  const query = new URLSearchParams();
  if (values.reason) query.set('reason', values.reason);
  if (values.location) query.set('location', values.location);
  if (values.contact) query.set('contactInfo', values.contact);
  if (values.field) query.set('fieldName', values.field);
  if (values.timestamp) query.set('timestamp', 'true');

  const size = await stat(input).then(
    (info) => info.size,
    () => {
      throw new CommandError(`Cannot read ${input}.`, 2);
    },
  );
  const started = performance.now();
  const response = await fetch(`${target.baseUrl}/seal-pdf?${query.toString()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(size),
      'x-functions-key': target.functionKey,
    },
    body: Readable.toWeb(createReadStream(input)),
    duplex: 'half',
  }).catch((error: unknown) => {
    throw new CommandError(`Cannot reach ${target.baseUrl}: ${(error as Error).message}`);
  });

  if (!response.ok || !response.body) {
    throw new CommandError(await describeFailure(response));
  }
  const partial = `${output}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial));
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw new CommandError(`Writing ${output} failed: ${(error as Error).message}`);
  }

  const result = {
    output,
    keyId: response.headers.get('x-seal-key-id') ?? undefined,
    fieldName: response.headers.get('x-seal-field') ?? undefined,
    inputBytes: size,
    outputBytes: (await stat(output)).size,
    durationMs: Math.round(performance.now() - started),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `Sealed ${input} -> ${output} (${result.outputBytes} bytes, field ${result.fieldName}, ` +
        `key ${result.keyId}, ${result.durationMs} ms)`,
    );
  }
}

async function describeFailure(response: Response): Promise<string> {
  if (response.status === 401) return 'The app refused the function key (401).';
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    return `${error.code} (${response.status}): ${error.message}`;
  } catch {
    return `The app answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}.`;
  }
}
