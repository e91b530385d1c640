import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { VerificationCheck } from '../../lib/verification/PdfSignatureVerification.js';
import { verifyPdfSignatures } from '../../lib/verification/verifyPdfSignatures.js';
import { CommandError } from '../CommandError.js';
import { localStateDir } from '../localStateDir.js';

const help = `Usage: sealops verify <file.pdf> [--root root.pem ...] [--json]

Checks every signature in a PDF: the byte ranges, the digest, the CMS signature, the chain to a
trusted root and any timestamp. Without --root it trusts the local stack's test root.
Exit code 0 when every signature is valid, 1 otherwise.`;

/** `sealops verify`: the in-project verifier, for operators and for the local stack's seals. */
export async function runVerify(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      root: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(help);
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new CommandError(help, 2);

  const rootFiles = values.root ?? [localRootPath()];
  const trustedRoots = await Promise.all(
    rootFiles.map((path) =>
      readFile(path, 'utf8').catch(() => {
        throw new CommandError(`Cannot read the trusted root ${path}.`, 2);
      }),
    ),
  );
  const pdf = await readFile(file).catch(() => {
    throw new CommandError(`Cannot read ${file}.`, 2);
  });
  const results = verifyPdfSignatures(pdf, { trustedRoots });

  if (values.json) console.log(JSON.stringify(results, null, 2));
  else {
    if (results.length === 0) console.log(`${file}: no signatures.`);
    for (const result of results) {
      console.log(
        `Signature ${result.index + 1}: ${result.valid ? 'VALID' : 'INVALID'}` +
          `${result.coversWholeDocument ? ', covers the whole document' : ', later revisions follow'}` +
          `${result.signer ? `, signer ${result.signer.subject}` : ''}`,
      );
      for (const [check, outcome] of Object.entries(result.checks) as [
        string,
        VerificationCheck,
      ][]) {
        const detail = outcome.detail ? ` (${outcome.detail})` : '';
        console.log(`  ${check.padEnd(18)} ${outcome.status}${detail}`);
      }
    }
  }
  if (results.length === 0 || results.some((result) => !result.valid)) process.exitCode = 1;
}

function localRootPath(): string {
  const stateDir = localStateDir();
  return join(stateDir, 'signing-service', 'pki', 'root.cert.pem');
}
