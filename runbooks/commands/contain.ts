import { parseArgs } from 'node:util';

import { parseAddressRange } from '../../lib/runbooks/AddressRange.js';
import { planContain } from '../../lib/runbooks/contain/planContain.js';
import { ContainmentJournal } from '../../lib/runbooks/ContainmentJournal.js';
import { InvalidAddressRangeError } from '../../lib/runbooks/errors/InvalidAddressRangeError.js';
import { CommandError } from '../CommandError.js';
import { consoleIo, type CommandIo } from '../incident/CommandIo.js';
import { resolveRunbookTarget } from '../incident/resolveRunbookTarget.js';
import { runPlannedRunbook } from '../incident/runPlannedRunbook.js';
import { targetHelp, targetOptions } from '../incident/targetOptions.js';

const help = `Usage: sealops contain [actions] [--yes] [target options]

Contains an incident (runbooks/contain.md). Without --yes it prints what it would change and
changes nothing; with --yes it applies each step, reads it back, and records what it did (and
what is needed to undo it) in the containment record. Safe to run again.

Actions (at least one):
  --block IP|CIDR              deny an address or range in the app's access restrictions
                               (repeatable; refused if it contains your own address)
  --disable-seal               disable only the seal function (404); the rest keeps running
  --stop-app                   stop the whole app (403 for everything)
  --replace-function-keys      give every seal-pdf key and host key a new value
  --disable-signing-key KEYID  disable that signing key's Key Vault versions, and revoke it at
                               the provider where it has an API (refused for the last valid key)

Guard-rail overrides:
  --allow-self-block           block even a range containing the address you call from
  --force                      disable even the last valid signing key (sealing stops)

  --reason TEXT                why, recorded on the incident when this run opens it
  --yes                        apply the plan

${targetHelp}

Exit codes: 0 done or planned, 1 a step failed (run again to finish), 2 bad usage, 3 refused.`;

/** `sealops contain`: block addresses, take the seal function or app offline, revoke keys. */
export async function runContain(args: string[], io: CommandIo = consoleIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...targetOptions,
      block: { type: 'string', multiple: true },
      'disable-seal': { type: 'boolean' },
      'stop-app': { type: 'boolean' },
      'replace-function-keys': { type: 'boolean' },
      'disable-signing-key': { type: 'string' },
      'allow-self-block': { type: 'boolean' },
      force: { type: 'boolean' },
      reason: { type: 'string' },
      yes: { type: 'boolean' },
    },
  });
  if (values.help) return io.print(help);
  const block = (values.block ?? []).flatMap((value) => value.split(',')).filter(Boolean);
  const anything =
    block.length > 0 ||
    values['disable-seal'] ||
    values['stop-app'] ||
    values['replace-function-keys'] ||
    values['disable-signing-key'] !== undefined;
  if (!anything) throw new CommandError(help, 2);
  const ranges = block.map((text) => {
    try {
      return parseAddressRange(text);
    } catch (error) {
      if (error instanceof InvalidAddressRangeError) throw new CommandError(error.message, 2);
      throw error;
    }
  });

  const target = await resolveRunbookTarget(values, io.env);
  try {
    const journal = new ContainmentJournal({
      store: target.store,
      app: target.app,
      actor: target.actor,
      ...(values.reason ? { reason: values.reason } : {}),
    });
    await journal.load();
    const plan = await planContain(
      {
        block: ranges,
        stopApp: values['stop-app'] ?? false,
        disableSeal: values['disable-seal'] ?? false,
        replaceKeys: values['replace-function-keys'] ?? false,
        ...(values['disable-signing-key']
          ? { disableSigningKey: values['disable-signing-key'] }
          : {}),
        responderAddresses: target.responderAddresses,
        allowSelfBlock: values['allow-self-block'] ?? false,
        force: values.force ?? false,
      },
      {
        app: target.app,
        sealFunction: target.sealFunction,
        control: target.control,
        journal,
        ...(target.signingKeys ? { signingKeys: target.signingKeys } : {}),
      },
    );
    if (ranges.length > 0 && target.responderAddresses.length === 0) {
      io.print(
        'Note: your own address is unknown (pass --my-address), so --block cannot protect you from blocking yourself.',
      );
    }
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
