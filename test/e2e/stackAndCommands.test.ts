import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { makePdfCorpus, type PdfCorpus } from '../support/pdfCorpus.js';
import { projectDir, startStackProcess, type StackProcess } from '../support/startStackProcess.js';

const sealops = join(projectDir, 'bin/sealops.js');

/** Runs `sealops` as an operator would, returning its exit code and output. */
async function runSealops(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [sealops, ...args], {
      cwd: projectDir,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('the local stack and the sealops command', () => {
  let stack: StackProcess;
  let corpus: PdfCorpus;
  const fixedKey = 'a-function-key-chosen-in-advance-0123';

  before(async () => {
    [stack, corpus] = await Promise.all([
      startStackProcess({ LOCAL_FUNCTION_KEY: fixedKey }),
      makePdfCorpus(),
    ]);
  });

  after(async () => {
    await stack?.stop();
    await corpus?.remove();
  });

  it('uses the function key fixed by LOCAL_FUNCTION_KEY', () => {
    assert.equal(stack.functionKey, fixedKey);
  });

  it('answers the health probe without a key and without revealing settings', async () => {
    const response = await fetch(`${stack.baseUrl}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('serves an OpenAPI 3 document of the API with its own base URL', async () => {
    const response = await fetch(`${stack.baseUrl}/swagger.json`);
    const document = (await response.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, { in: string; name: string }> };
    };
    assert.match(document.openapi, /^3\.0\./);
    assert.deepEqual(document.servers, [{ url: stack.baseUrl }]);
    assert.ok(document.paths['/seal-pdf']?.post);
    assert.ok(document.paths['/health']?.get);
    assert.deepEqual(
      Object.values(document.components.securitySchemes)
        .map((s) => `${s.in}:${s.name}`)
        .sort(),
      ['header:x-functions-key', 'query:code'],
    );
  });

  it('seals a file with `sealops seal` and verifies it with `sealops verify`', async () => {
    const output = join(stack.stateDir, 'sealed-by-cli.pdf');
    const env = { SEALOPS_URL: stack.baseUrl, SEALOPS_STATE_DIR: stack.stateDir };
    const sealed = await runSealops(
      ['seal', corpus.get('incremental').path, output, '--reason', 'CLI', '--json'],
      env,
    );
    assert.equal(sealed.code, 0, sealed.stderr);
    const result = JSON.parse(sealed.stdout) as { fieldName: string; keyId: string };
    assert.equal(result.fieldName, 'Seal1');
    assert.match(result.keyId, /^[0-9a-f-]{36}$/);

    const verified = await runSealops(['verify', output], env);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /Signature 1: VALID, covers the whole document/);

    const tampered = Buffer.from(await readFile(output));
    tampered[100] = (tampered[100] ?? 0) ^ 0xff;
    await writeFile(output, tampered);
    const refused = await runSealops(['verify', output], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /Signature 1: INVALID/);
  });

  it('reports a refused seal with the error code and sentence, and exit code 1', async () => {
    const notPdf = join(stack.stateDir, 'not-a-pdf.pdf');
    await writeFile(notPdf, 'hello');
    const result = await runSealops(['seal', notPdf, join(stack.stateDir, 'out.pdf')], {
      SEALOPS_URL: stack.baseUrl,
      SEALOPS_FUNCTION_KEY: fixedKey,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^sealops seal: NOT_A_PDF \(400\): The document is not a PDF/);
  });

  it('tells the operator how to call it when the command line is wrong', async () => {
    const result = await runSealops(['seal', 'only-one-argument.pdf'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: sealops seal <in\.pdf> <out\.pdf>/);
  });
});
