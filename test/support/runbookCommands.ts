import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

import type { StepResult } from '../../lib/runbooks/RunbookRunReport.js';
import type { CommandIo } from '../../runbooks/incident/CommandIo.js';
import { CommandError } from '../../runbooks/CommandError.js';
import type { StackProcess } from './startStackProcess.js';

/** What one in-process run of an incident command printed and how it ended. */
export interface CommandRun {
  readonly lines: string[];
  /** The exit code the CLI would give: 0, or the `CommandError`'s. */
  readonly exitCode: number;
  /** The command's `--json` output, parsed, when it printed one JSON document. */
  json<T>(): T;
}

/** Thrown by the test hook to stop a run after a step, as a killed process would. */
export class Interrupted extends Error {
  constructor(index: number) {
    super(`interrupted after step ${index + 1}`);
  }
}

/**
 * Runs an incident command in this process against `stack`, as the CLI would but with output
 * captured. `interruptAfter` stops the run after that step (0-based) by throwing
 * {@link Interrupted}, which the returned promise rejects with.
 */
export async function runCommand(
  command: (args: string[], io: CommandIo) => Promise<void>,
  stack: StackProcess,
  args: string[],
  options: { interruptAfter?: number; steps?: StepResult[] } = {},
): Promise<CommandRun> {
  const lines: string[] = [];
  const io: CommandIo = {
    print: (line) => lines.push(line),
    env: { ...process.env, SEALOPS_STATE_DIR: stack.stateDir },
    afterStep: (result, index) => {
      options.steps?.push(result);
      if (index === options.interruptAfter) throw new Interrupted(index);
    },
  };
  let exitCode = 0;
  try {
    await command(args, io);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    lines.push(error.message);
    exitCode = error.exitCode;
  }
  return {
    lines,
    exitCode,
    json: <T>() => JSON.parse(lines.join('\n')) as T,
  };
}

/** The local host's state as the stack keeps it: keys, app state, rules. */
export interface HostStateFile {
  readonly masterKey: string;
  readonly hostKeys: Record<string, string>;
  readonly functionKeys: Record<string, Record<string, string>>;
  readonly state: 'Running' | 'Stopped';
  readonly disabledFunctions: string[];
  readonly accessRestrictions: {
    name: string;
    action: string;
    ipAddress: string;
    priority: number;
  }[];
}

export async function readHostState(stack: StackProcess): Promise<HostStateFile> {
  return JSON.parse(
    await readFile(join(stack.stateDir, 'host', 'state.json'), 'utf8'),
  ) as HostStateFile;
}

/** A seal-pdf call from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). */
export function sealFrom(
  stack: StackProcess,
  pdf: Uint8Array,
  key: string,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: string }> {
  const url = new URL(`${stack.baseUrl}/seal-pdf`);
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/pdf',
          'content-length': pdf.length,
          'x-functions-key': key,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: response.headers['content-type']?.includes('pdf')
              ? ''
              : Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(pdf);
  });
}
