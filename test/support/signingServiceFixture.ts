import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startSigningService } from '../../local/signing-service/startSigningService.js';
import type {
  IssuedApiKey,
  SigningService,
  SigningServiceOptions,
} from '../../local/signing-service/startSigningService.js';

/** A local signing service in its own temporary state folder, with one issued key. */
export interface SigningServiceFixture {
  readonly service: SigningService;
  readonly key: IssuedApiKey;
  readonly stateDir: string;
  /** A scratch folder for files handed to external tools; removed by `dispose`. */
  readonly scratchDir: string;
  /** Closes the service and removes both folders. */
  dispose(): Promise<void>;
}

export async function startSigningServiceFixture(
  options: Partial<SigningServiceOptions> = {},
): Promise<SigningServiceFixture> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sealops-signing-state-'));
  const scratchDir = await mkdtemp(join(tmpdir(), 'sealops-signing-scratch-'));
  const service = await startSigningService({ ...options, stateDir });
  const key = await service.issueKey();
  return {
    service,
    key,
    stateDir,
    scratchDir,
    dispose: async () => {
      await service.close();
      await rm(stateDir, { recursive: true, force: true });
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}

/** Result of running an external tool: its exit code and output, never an exception. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command-line tool (openssl, pdfsig, certutil) with no shell. */
export async function runTool(command: string, args: readonly string[]): Promise<ToolRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : -1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? String(error),
    };
  }
}

/** Writes `contents` under `dir` and returns the path. */
export async function scratchFile(
  dir: string,
  name: string,
  contents: string | Uint8Array,
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, contents);
  return path;
}
