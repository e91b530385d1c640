// The `sealops` command line: operator commands, each in runbooks/commands/.
import { runSeal } from './commands/seal.js';
import { runVerify } from './commands/verify.js';
import { CommandError } from './CommandError.js';

const commands: Record<string, { summary: string; run: (args: string[]) => Promise<void> }> = {
  seal: { summary: 'seal <in.pdf> <out.pdf>   seal a PDF with a running app', run: runSeal },
  verify: { summary: 'verify <file.pdf>          check every signature in a PDF', run: runVerify },
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
