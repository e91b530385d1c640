import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `qpdf` can be run. */
export async function qpdfAvailable(): Promise<boolean> {
  try {
    await run('qpdf', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `qpdf` with `args`. Exit code 3 (warnings only) counts as success, as qpdf documents;
 * the warnings come back in `stderr`, so a check must look at `code`.
 */
export async function qpdf(
  args: readonly string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('qpdf', [...args]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    const result = {
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
      code: failure.code,
    };
    if (failure.code === 3) return result;
    throw new Error(`qpdf ${args.join(' ')} exited with ${failure.code}: ${result.stderr}`, {
      cause: error,
    });
  }
}
