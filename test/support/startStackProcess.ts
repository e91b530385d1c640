import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../../local/stack/startLocalStack.js';

/** The project folder, from the compiled location of this file (dist/test/support). */
export const projectDir = resolve(fileURLToPath(import.meta.url), '../../../..');
/** The build folder this file was compiled into (`dist`, or another `tsc --outDir`). */
const buildDir = resolve(fileURLToPath(import.meta.url), '../../..');

/** What the stack prints once it is ready (`--ready-json`): these fields of the running stack. */
export type StackInfo = Pick<
  LocalStack,
  | 'baseUrl'
  | 'functionKey'
  | 'masterKey'
  | 'signingServiceUrl'
  | 'signingAdminToken'
  | 'storageConnectionString'
  | 'stateDir'
  | 'telemetryDir'
  | 'nssDatabase'
  | 'keyVaultUrl'
  | 'keyVaultCaFile'
>;

/** A stack running in its own process, as `npm start` runs it. */
export interface StackProcess extends StackInfo {
  /** Everything the stack printed, for a failing test to show. */
  readonly output: string[];
  /** The stack process's ID (the app runs in it; Azurite is its child), to read its memory. */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the local stack (`dist/local/stack/main.js`) in a child process with a fresh state folder
 * and free ports, and waits for it to say it is ready. `env` adds or overrides settings.
 */
export async function startStackProcess(env: Record<string, string> = {}): Promise<StackProcess> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sealops-stack-'));
  const child = spawn(process.execPath, [join(buildDir, 'local/stack/main.js'), '--ready-json'], {
    cwd: projectDir,
    env: { ...process.env, SEALOPS_STATE_DIR: stateDir, PORT: '0', LOCAL_TIMERS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  const info = await new Promise<StackInfo>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stack not ready:\n${output.join('')}`)),
      60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code}:\n${output.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`);
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as StackInfo & { event?: string };
      if (message.event === 'ready') {
        clearTimeout(timer);
        resolveReady(message);
      }
    });
  });

  return {
    ...info,
    output,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
