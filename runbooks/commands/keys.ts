import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import {
  createRotationServices,
  type RotationServices,
} from '../../lib/app/createRotationServices.js';
import { SealOpsError } from '../../lib/errors/SealOpsError.js';
import { CommandError } from '../CommandError.js';
import { consoleIo, type CommandIo } from '../incident/CommandIo.js';
import { targetHelp, targetOptions } from '../incident/targetOptions.js';
import { formatKeyStatus, formatPlan, formatRuns } from '../keys/formatKeys.js';
import { keysSettings } from '../keys/keysSettings.js';

const help = `Usage: sealops keys <status|plan|run|stage|abort> [options] [target options]

  status                 per credential: valid keys (key ID, fingerprint, expiry, state), the
                         rotation in flight, the next action and its date
  plan                   what the next run would do; changes nothing
  run                    run what is due now (what the hourly timer does)
      --resume           clear a stopped rotation or a pending retry and try again now
      --rotate-now       start a rotation now even if the key is far from expiry
  stage                  hand over a key issued in the Trusted Signatures portal
      --key-id ID        the key ID the portal shows (a UUID)
      --key-file FILE    a file holding the hex key ('-' reads standard input); never pass the
                         key itself on the command line
      --expires ISO      the expiry the portal shows, e.g. 2027-03-01T00:00:00Z
      --no-run           only stage; the next timer run tests and publishes it
  abort                  abandon the rotation in flight before its key is published
      --reason TEXT      recorded in the audit event

Options:
  --credential NAME      one credential (signing-api-key, function-key:seal-pdf); default all
  --now ISO              decide as if it were this time: what plan and status would show then,
                         or a replay of run on a scratch local stack. Key Vault, the signing
                         service and the key expiries they issue keep real time, and a run
                         with --now retires keys early in real time: never use it on Azure.
  --json                 print the result as JSON

${targetHelp}`;

const keysOptions = {
  ...targetOptions,
  credential: { type: 'string' },
  now: { type: 'string' },
  resume: { type: 'boolean' },
  'rotate-now': { type: 'boolean' },
  'key-id': { type: 'string' },
  'key-file': { type: 'string' },
  expires: { type: 'string' },
  'no-run': { type: 'boolean' },
  reason: { type: 'string' },
} as const;

/** `sealops keys`: the rotation engine for operators, on the local stack or an Azure app. */
export async function runKeys(args: string[], io: CommandIo = consoleIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: keysOptions, allowPositionals: true });
  const [action, extra] = positionals;
  if (values.help || action === undefined) return io.print(help);
  if (extra !== undefined || !['status', 'plan', 'run', 'stage', 'abort'].includes(action)) {
    throw new CommandError(help, 2);
  }
  const now = values.now === undefined ? undefined : parseTime('--now', values.now);
  const settings = await keysSettings(values, io.env);
  let services: RotationServices;
  try {
    services = await createRotationServices(settings.env, now ? { clock: () => now } : {});
  } catch (error) {
    if (error instanceof SealOpsError) throw new CommandError(error.message, 2);
    throw error;
  }
  const print = (result: unknown, lines: () => string[]) => {
    if (values.json) io.print(JSON.stringify(result, null, 2));
    else for (const line of lines()) io.print(line);
  };

  try {
    switch (action) {
      case 'status': {
        const statuses = await services.engine.status(values.credential);
        print(statuses, () => formatKeyStatus(statuses));
        if (statuses.some(({ stopped }) => stopped !== undefined)) process.exitCode = 1;
        return;
      }
      case 'plan': {
        const plans = await services.engine.plan(values.credential);
        print(plans, () => formatPlan(plans));
        return;
      }
      case 'run': {
        const runs = await services.engine.run({
          ...(values.credential ? { credential: values.credential } : {}),
          force: true,
          resume: values.resume ?? false,
          ...(values['rotate-now'] ? { startNow: {} } : {}),
        });
        print(runs, () => formatRuns(runs));
        if (runs.some(({ outcome }) => outcome === 'failed' || outcome === 'stopped'))
          process.exitCode = 1;
        return;
      }
      case 'stage':
        return await stage(services, values, io, print);
      case 'abort': {
        const run = await services.engine.abort(
          values.credential ?? 'signing-api-key',
          values.reason ?? 'aborted by an operator',
        );
        print(run, () => formatRuns([run]));
        return;
      }
    }
  } catch (error) {
    if (error instanceof SealOpsError) throw new CommandError(error.message);
    throw error;
  } finally {
    if (settings.kind === 'azure') {
      const { flushAzureMonitor } = await import('../../lib/azure/flushAzureMonitor.js');
      await flushAzureMonitor();
    }
  }
}

async function stage(
  services: RotationServices,
  values: {
    'key-id'?: string;
    'key-file'?: string;
    expires?: string;
    'no-run'?: boolean;
    json?: boolean;
  },
  io: CommandIo,
  print: (result: unknown, lines: () => string[]) => void,
): Promise<void> {
  const keyId = values['key-id'];
  const keyFile = values['key-file'];
  if (!keyId || !keyFile || !values.expires) {
    throw new CommandError(
      'stage needs --key-id, --key-file and --expires (see sealops keys --help).',
      2,
    );
  }
  const expiresOn = parseTime('--expires', values.expires);
  const apiKeyHex = await readKey(keyFile);
  const staged = await services.stage({ keyId, apiKeyHex, expiresOn });
  if (!values.json) {
    io.print(
      `Staged key ${staged.keyId} (${staged.fingerprint}, expires ${staged.expiresOn})` +
        `${staged.written ? '' : ' (already staged)'} in '${services.pendingSecretName}'.`,
    );
  }
  if (values['no-run']) return print({ staged }, () => []);
  const runs = await services.engine.run({ credential: 'signing-api-key', force: true });
  print({ staged, runs }, () => formatRuns(runs));
  const [run] = runs;
  const rejected = run?.steps.find(
    ({ step, outcome, keyId: tested }) =>
      step === 'test' && outcome === 'failure' && tested === staged.keyId,
  );
  if (rejected !== undefined || run?.outcome === 'failed' || run?.outcome === 'stopped')
    process.exitCode = 1;
}

async function readKey(file: string): Promise<string> {
  try {
    if (file !== '-') return (await readFile(file, 'utf8')).trim();
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  } catch {
    throw new CommandError(`Cannot read the key from ${file}.`, 2);
  }
}

function parseTime(option: string, text: string): Date {
  const time = new Date(text);
  if (Number.isNaN(time.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new CommandError(`${option} must be an ISO-8601 time, e.g. 2027-03-01T00:00:00Z.`, 2);
  }
  return time;
}
