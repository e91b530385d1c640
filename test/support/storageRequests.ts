import { BlobServiceClient } from '@azure/storage-blob';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackProcess } from './startStackProcess.js';

/** The JSON error body of every refusal. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly invocationId: string;
  };
}

/** The JSON body of a storage-mode seal. */
export interface StorageSealBody {
  readonly destination: { container: string; blob: string; etag: string; sizeBytes: number };
  readonly source: { container: string; blob: string; etag: string; sizeBytes: number };
  readonly keyId: string;
  readonly fieldName: string;
  readonly copy: 'service' | 'staged' | 'streamed' | 'in-place';
  readonly durationMs: number;
}

/** Sends a storage-mode request (a JSON body) to the stack's seal-pdf function. */
export function storageSealer(stack: StackProcess) {
  return (body: object) =>
    fetch(`${stack.baseUrl}/seal-pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': stack.functionKey },
      body: JSON.stringify(body),
    });
}

/** The stack's Azurite, through the storage SDK as a user would reach it. */
export function stackBlobs(stack: StackProcess): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(stack.storageConnectionString);
}

/** One `AppEvents` row of the local telemetry log. */
export interface AppEventsRow {
  readonly Name: string;
  readonly Properties: Record<string, string>;
}

/** The stack's `AppEvents` rows named `name`, oldest first. */
export async function appEvents(stack: StackProcess, name: string): Promise<AppEventsRow[]> {
  const text = await readFile(join(stack.telemetryDir, 'AppEvents.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AppEventsRow)
    .filter((row) => row.Name === name);
}

/** Waits, polling every 100 ms, until `check` gives a value; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
