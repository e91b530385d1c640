import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * Azurite's account key: the fixed, publicly documented development key that every Azurite and
 * Storage Emulator install shares. It opens nothing but a local emulator.
 */
const devAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running Azurite with blob, queue and table services. */
export interface AzuriteInstance {
  /** Connection string for `@azure/storage-blob` and `AzureWebJobsStorage`. */
  readonly connectionString: string;
  readonly blobUrl: string;
  stop(): Promise<void>;
}

/** Options of {@link startAzurite}. */
export interface AzuriteOptions {
  /** Folder for Azurite's data; created when missing. */
  readonly location: string;
  /** Use Azurite's usual ports 10000-10002 (what `UseDevelopmentStorage=true` means) rather than free ones. @default false */
  readonly fixedPorts?: boolean;
}

/**
 * Starts Azurite from the project's own dependency as a child process and waits until the blob
 * endpoint accepts connections. Telemetry is off, and the API-version check is skipped because the
 * current storage SDK sends versions newer than Azurite knows.
 */
export async function startAzurite(options: AzuriteOptions): Promise<AzuriteInstance> {
  await mkdir(options.location, { recursive: true });
  const [blob, queue, table] = options.fixedPorts
    ? [10000, 10001, 10002]
    : [await freePort(), await freePort(), await freePort()];
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist/src/azurite.js');
  const child = spawn(
    process.execPath,
    [
      main,
      ...['--blobHost', '127.0.0.1', '--blobPort', String(blob)],
      ...['--queueHost', '127.0.0.1', '--queuePort', String(queue)],
      ...['--tableHost', '127.0.0.1', '--tablePort', String(table)],
      ...['--location', options.location],
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  await waitForPort(blob, child, () => stderr);

  const account = 'devstoreaccount1';
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${account}`;
  return {
    blobUrl: endpoint(blob),
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${devAccountKey};` +
      `BlobEndpoint=${endpoint(blob)};QueueEndpoint=${endpoint(queue)};` +
      `TableEndpoint=${endpoint(table)};`,
    stop: () => stopChild(child),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Azurite exited with code ${child.exitCode}: ${stderr().trim()}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`Azurite did not open port ${port} within 30 seconds.`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
