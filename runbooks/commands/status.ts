import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { readContainmentStatus } from '../../lib/runbooks/status/readContainmentStatus.js';
import { consoleIo, type CommandIo } from '../incident/CommandIo.js';
import { formatStatus } from '../incident/formatStatus.js';
import { resolveRunbookTarget } from '../incident/resolveRunbookTarget.js';
import { targetHelp, targetOptions } from '../incident/targetOptions.js';

const help = `Usage: sealops status [target options]

Shows what is contained right now and since when (runbooks/status.md): the incident in the
containment record, the app's live state (running, seal function, access rules, signing keys),
and where the two disagree. Read-only.

${targetHelp}`;

/** `sealops status`: the containment record beside the live state. */
export async function runStatus(args: string[], io: CommandIo = consoleIo): Promise<void> {
  const { values } = parseArgs({ args, options: targetOptions });
  if (values.help) return io.print(help);

  const target = await resolveRunbookTarget(values, io.env);
  try {
    const stored = await target.store.load(target.app);
    const status = await readContainmentStatus({
      app: target.app,
      sealFunction: target.sealFunction,
      control: target.control,
      record: stored?.record,
      ...(target.signingKeys ? { signingKeys: target.signingKeys } : {}),
    });
    const event = {
      runbook: 'status',
      action: 'status',
      actor: target.actor,
      app: target.app,
      runId: randomUUID(),
      outcome: 'success',
      target: target.app,
      detail: `${status.inForce.length} measure(s) in force, ${status.drift.length} drift`,
      ...(status.incident ? { incidentId: status.incident.incidentId } : {}),
    } as const;
    target.telemetry.emit({ name: 'RunbookAction', ...event });
    await target.audit.append({ time: new Date().toISOString(), ...event });

    if (values.json) io.print(JSON.stringify(status, null, 2));
    else for (const line of formatStatus(status, target.kind)) io.print(line);
  } finally {
    await target.close();
  }
}
