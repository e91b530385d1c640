// The `sealops` command line: operator commands, each in runbooks/commands/.
import { runBlob } from './commands/blob.js';
import { runContain } from './commands/contain.js';
import { runDetections } from './commands/detections.js';
import { runInvestigate } from './commands/investigate.js';
import { runKeys } from './commands/keys.js';
import { runRecover } from './commands/recover.js';
import { runSeal } from './commands/seal.js';
import { runStatus } from './commands/status.js';
import { runVerify } from './commands/verify.js';
import { CommandError } from './CommandError.js';

const commands: Record<string, { summary: string; run: (args: string[]) => Promise<void> }> = {
  seal: { summary: 'seal <in.pdf> <out.pdf>   seal a PDF with a running app', run: runSeal },
  verify: { summary: 'verify <file.pdf>          check every signature in a PDF', run: runVerify },
  blob: {
    summary: 'blob <put|get> ...         move a file of any size into or out of Blob Storage',
    run: runBlob,
  },
  contain: {
    summary: 'contain [actions] [--yes] block, take offline, revoke keys',
    run: (a) => runContain(a),
  },
  investigate: {
    summary: 'investigate [--since 6h]  evidence report for a time window',
    run: (a) => runInvestigate(a),
  },
  recover: {
    summary: 'recover [--yes]           rotate keys, lift blocks, restart, prove it',
    run: (a) => runRecover(a),
  },
  status: {
    summary: 'status                    what is contained now and since when',
    run: (a) => runStatus(a),
  },
  keys: {
    summary: 'keys <status|plan|run|stage|abort>  key rotation: see and steer it',
    run: (a) => runKeys(a),
  },
  detections: {
    summary: 'detections <action>       check, run, render or apply the KQL detections',
    run: runDetections,
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.log('Usage: sealops <command> [options]\n\nCommands:');
  for (const { summary } of Object.values(commands)) console.log(`  ${summary}`);
  console.log('\nEvery command takes --help.');
  process.exitCode = name && name !== '--help' ? 2 : 0;
} else {
  try {
    await command.run(args);
  } catch (error) {
    if (error instanceof CommandError) {
      console.error(`sealops ${name}: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(`sealops ${name}: unexpected failure: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
