import { BlobServiceClient } from '@azure/storage-blob';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkBlobName, checkContainerName } from '../../lib/storage/checkBlobLocation.js';
import { CommandError } from '../CommandError.js';
import { readStackEndpoints } from '../incident/readStackEndpoints.js';
import { localStateDir } from '../localStateDir.js';

const help = `Usage: sealops blob put <file> <container>/<blob>
       sealops blob get <container>/<blob> <file>

Uploads a file to Blob Storage or downloads a blob to a file, streamed in 8 MiB blocks, so that
files of any size cost flat memory: the way to hand storage mode its documents on the local stack.

Options:
  --connection TEXT  storage connection string (default SEAL_STORAGE_CONNECTION, then the running
                     local stack's Azurite, then UseDevelopmentStorage=true)`;

/** `sealops blob`: puts files into, and gets them out of, the storage account storage mode uses. */
export async function runBlob(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { connection: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void console.log(help);
  const [action, first, second] = positionals;
  if (!first || !second || positionals.length > 3 || (action !== 'put' && action !== 'get')) {
    throw new CommandError(help, 2);
  }
  const service = BlobServiceClient.fromConnectionString(await connectionString(values.connection));
  const started = performance.now();

  if (action === 'put') {
    const { container, blob } = blobPath(second);
    const size = await stat(first).then(
      (info) => info.size,
      () => {
        throw new CommandError(`Cannot read ${first}.`, 2);
      },
    );
    const client = service.getContainerClient(container).getBlockBlobClient(blob);
    const response = await client
      .uploadFile(first, {
        blockSize: 8 << 20,
        concurrency: 4,
        blobHTTPHeaders: { blobContentType: 'application/pdf' },
      })
      .catch((error: unknown) => {
        throw new CommandError(
          `Uploading to ${container}/${blob} failed: ${storageMessage(error)}`,
        );
      });
    console.log(
      `Uploaded ${size} bytes to ${container}/${blob} (ETag ${response.etag ?? '?'}) in ` +
        `${Math.round(performance.now() - started)} ms.`,
    );
    return;
  }

  const { container, blob } = blobPath(first);
  const client = service.getContainerClient(container).getBlobClient(blob);
  await client.downloadToFile(second).catch((error: unknown) => {
    throw new CommandError(`Downloading ${container}/${blob} failed: ${storageMessage(error)}`);
  });
  const size = (await stat(second)).size;
  console.log(
    `Downloaded ${container}/${blob} (${size} bytes) to ${second} in ` +
      `${Math.round(performance.now() - started)} ms.`,
  );
}

async function connectionString(option: string | undefined): Promise<string> {
  if (option) return option;
  if (process.env.SEAL_STORAGE_CONNECTION) return process.env.SEAL_STORAGE_CONNECTION;
  const stateDir = localStateDir();
  const endpoints = await readStackEndpoints(stateDir);
  return endpoints.storageConnectionString ?? 'UseDevelopmentStorage=true';
}

function blobPath(path: string): { container: string; blob: string } {
  const slash = path.indexOf('/');
  try {
    return {
      container: checkContainerName(path.slice(0, slash), 'container'),
      blob: checkBlobName(path.slice(slash + 1), 'blob'),
    };
  } catch (error) {
    throw new CommandError(`${path}: ${(error as Error).message} Write <container>/<blob>.`, 2);
  }
}

function storageMessage(error: unknown): string {
  const { statusCode, code } = error as { statusCode?: number; code?: string };
  return statusCode ? `${statusCode} ${code ?? ''}`.trim() : (error as Error).message;
}
