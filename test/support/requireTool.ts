import { execFile } from 'node:child_process';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';

const available = new Map<string, Promise<boolean>>();

/**
 * Whether an external checker (pdfsig, qpdf, certutil, openssl) can run. Missing, the test is
 * skipped on a developer machine, but fails in CI (`CI` set), which installs every checker and
 * must never pass by skipping them.
 */
export async function requireTool(t: TestContext, tool: string): Promise<boolean> {
  if (!available.has(tool)) {
    available.set(
      tool,
      promisify(execFile)('sh', ['-c', `command -v ${tool}`]).then(
        () => true,
        () => false,
      ),
    );
  }
  if (await available.get(tool)) return true;
  if (process.env.CI) throw new Error(`${tool} is not installed, and CI must not skip its checks.`);
  t.skip(`${tool} is not installed`);
  return false;
}
