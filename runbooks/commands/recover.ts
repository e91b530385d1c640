import { parseArgs } from 'node:util';

import { ContainmentJournal } from '../../lib/runbooks/ContainmentJournal.js';
import { planRecover } from '../../lib/runbooks/recover/planRecover.js';
import { consoleIo, type CommandIo } from '../incident/CommandIo.js';
import { resolveRunbookTarget } from '../incident/resolveRunbookTarget.js';
import { runPlannedRunbook } from '../incident/runPlannedRunbook.js';
import { targetHelp, targetOptions } from '../incident/targetOptions.js';

const help = `Usage: sealops recover [--yes] [options] [target options]

Recovers from the open incident (runbooks/recover.md): a new signing key when the incident
disabled one, new function keys (those contain already replaced stay), the incident's address
blocks lifted, the seal function and the app started again, then a health check and a test seal
from outside before the incident is closed. Without --yes it prints the plan and changes nothing.
Safe to run again; an interrupted run finishes when run again.

Options:
  --keep-blocks             leave the incident's address blocks in place
  --lift-automatic-blocks   also lift blocks that detections added (sealops-block-* rules)
  --keep-function-keys      do not replace function keys
  --rotate-signing-key      rotate the signing key even if the incident disabled none
  --skip-test-seal          skip the test seal (the health check still runs)
  --yes                     apply the plan

${targetHelp}

Exit codes: 0 done or planned, 1 a step failed (run again to finish), 2 bad usage.`;

/** `sealops recover`: undo containment, replace keys, prove the app works, close the incident. */
export async function runRecover(args: string[], io: CommandIo = consoleIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...targetOptions,
      'keep-blocks': { type: 'boolean' },
      'lift-automatic-blocks': { type: 'boolean' },
      'keep-function-keys': { type: 'boolean' },
      'rotate-signing-key': { type: 'boolean' },
      'skip-test-seal': { type: 'boolean' },
      yes: { type: 'boolean' },
    },
  });
  if (values.help) return io.print(help);

  const target = await resolveRunbookTarget(values, io.env);
  try {
    const journal = new ContainmentJournal({
      store: target.store,
      app: target.app,
      actor: target.actor,
    });
    await journal.load();
    const plan = await planRecover(
      {
        keepBlocks: values['keep-blocks'] ?? false,
        liftAutomaticBlocks: values['lift-automatic-blocks'] ?? false,
        keepFunctionKeys: values['keep-function-keys'] ?? false,
        rotateSigningKey: values['rotate-signing-key'] ?? false,
        skipTestSeal: values['skip-test-seal'] ?? false,
        trustedRoots: target.trustedRoots,
      },
      {
        app: target.app,
        sealFunction: target.sealFunction,
        control: target.control,
        journal,
        endpoint: target.endpoint,
        ...(target.signingKeys ? { signingKeys: target.signingKeys } : {}),
      },
    );
    await runPlannedRunbook(
      plan,
      target,
      journal,
      { yes: values.yes ?? false, json: values.json ?? false },
      io,
    );
  } finally {
    await target.close();
  }
}
