// One measured case of the storage-mode benchmark, run in a fresh process so that its peak
// memory is its own.
//   node runStorageCase.js read-hash <connection> <container> <blob>
//   node runStorageCase.js seal <connection> <container> <blob> <destination container>
//        <destination blob> <signing url> <key id> <key hex> <copy mode>
// Prints one JSON line: { ms, maxRssMiB, copy? }. `ms` covers the whole operation, in process.
import { BlobServiceClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { AzureBlobDocumentStore } from '../../lib/azure/AzureBlobDocumentStore.js';
import type { StorageCopyMode } from '../../lib/config/StorageSettings.js';
import { SigningApiClient } from '../../lib/signing/SigningApiClient.js';
import { staticCredentials } from '../../lib/signing/staticCredentials.js';
import { ContainerAllowlist } from '../../lib/storage/ContainerAllowlist.js';
import { sealStoredPdf } from '../../lib/storage/sealStoredPdf.js';

const [kind, connection = '', container = '', blob = '', ...rest] = process.argv.slice(2);
const [toContainer = '', toBlob = '', signingUrl = '', keyId = '', keyHex = '', copyMode] = rest;
const service = BlobServiceClient.fromConnectionString(connection);

/** The floor: one streamed download of the blob, hashed with SHA-256 as it arrives. */
async function readAndHash(name: string): Promise<void> {
  const client = service.getContainerClient(container).getBlobClient(name);
  const response = await client.download(0);
  const hash = createHash('sha256');
  for await (const chunk of (response.readableStreamBody ?? []) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  hash.digest();
}

async function seal(name: string, destination: string): Promise<string> {
  const store = new AzureBlobDocumentStore(service, {
    copyMode: (copyMode ?? 'streamed') as StorageCopyMode,
  });
  const signer = new SigningApiClient({
    baseUrl: signingUrl,
    credentials: staticCredentials(keyId, keyHex),
  });
  const allowlist = new ContainerAllowlist([container, toContainer]);
  const result = await sealStoredPdf(
    {
      source: { container, blob: name },
      destination: { container: toContainer, blob: destination },
      overwrite: true,
      seal: { signingTime: new Date() },
    },
    { store, signer, allowlist },
  );
  return result.copyMethod;
}

// A running app has sealed before: one small operation before the clock starts takes the first
// connections and the first compilation out of the measurement.
const warmUpBlob = 'bench-warm-up.pdf';
let copy: string | undefined;
let ms: number;
if (kind === 'read-hash') {
  await readAndHash(warmUpBlob);
  const started = performance.now();
  await readAndHash(blob);
  ms = performance.now() - started;
} else if (kind === 'seal') {
  await seal(warmUpBlob, warmUpBlob);
  const started = performance.now();
  copy = await seal(blob, toBlob);
  ms = performance.now() - started;
} else {
  throw new Error(`unknown case ${kind}`);
}
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, copy }));
