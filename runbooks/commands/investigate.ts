import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { HuntingQuery } from '../../lib/detections/DetectionDefinition.js';
import { loadDetections } from '../../lib/detections/loadDetections.js';
import { parseAddressRange } from '../../lib/runbooks/AddressRange.js';
import { InvalidAddressRangeError } from '../../lib/runbooks/errors/InvalidAddressRangeError.js';
import { renderInvestigationMarkdown } from '../../lib/runbooks/investigate/renderInvestigationMarkdown.js';
import { runInvestigation } from '../../lib/runbooks/investigate/runInvestigation.js';
import { CommandError } from '../CommandError.js';
import { consoleIo, type CommandIo } from '../incident/CommandIo.js';
import { parseTimeWindow } from '../incident/parseTimeWindow.js';
import { resolveRunbookTarget } from '../incident/resolveRunbookTarget.js';
import { targetHelp, targetOptions } from '../incident/targetOptions.js';

const help = `Usage: sealops investigate [--since T] [--until T] [--address IP|CIDR] [--key-id ID]
                          [--out DIR] [target options]

Runs the evidence queries in kql/ over a time window (runbooks/investigate.md): who called, from
where, with which signing key ID, and what failed. Writes a report to read
(investigation-<time>.md) and the same data for tools (investigation-<time>.json). Read-only:
it changes nothing in the app, so it needs no --yes.

  --since T        start: an ISO time or a length back from --until (6h, 2d, PT30M); default 24h
  --until T        end: an ISO time or a length back from now; default now
  --address RANGE  only rows about addresses in this range
  --key-id ID      only rows about this signing key ID
  --out DIR        where to write (default <state-dir>/incidents locally, ./incidents on Azure)

${targetHelp}`;

/** `sealops investigate`: the evidence for a window, as Markdown and JSON. */
export async function runInvestigate(args: string[], io: CommandIo = consoleIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...targetOptions,
      since: { type: 'string' },
      until: { type: 'string' },
      address: { type: 'string' },
      'key-id': { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.help) return io.print(help);
  const window = parseTimeWindow(values.since, values.until, new Date());
  let address;
  try {
    address = values.address === undefined ? undefined : parseAddressRange(values.address);
  } catch (error) {
    if (error instanceof InvalidAddressRangeError) throw new CommandError(error.message, 2);
    throw error;
  }

  const target = await resolveRunbookTarget(values, io.env);
  try {
    if ('unavailable' in target.logs) {
      throw new CommandError(`No log source for this target: ${target.logs.unavailable}.`, 2);
    }
    const queries = (await loadDetections()).filter(
      (query): query is HuntingQuery => query.kind === 'hunting',
    );
    const investigation = await runInvestigation(
      {
        ...window,
        ...(address ? { address } : {}),
        ...(values['key-id'] ? { keyId: values['key-id'] } : {}),
      },
      { app: target.app, actor: target.actor, source: target.logs, queries },
    );

    const directory = resolve(values.out ?? target.reportDirectory);
    const stem = `investigation-${investigation.generatedAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const markdownPath = join(directory, `${stem}.md`);
    const jsonPath = join(directory, `${stem}.json`);
    await writeFile(markdownPath, renderInvestigationMarkdown(investigation), { mode: 0o600 });
    await writeFile(jsonPath, `${JSON.stringify(investigation, null, 2)}\n`, { mode: 0o600 });

    const { summary } = investigation;
    const detail =
      `${investigation.window.start}..${investigation.window.end}; ${summary.addresses.length} address(es), ` +
      `${summary.keyIds.length} key ID(s), ${summary.failures} failure(s); report ${markdownPath}`;
    const outcome = summary.incompleteQueries.length === 0 ? 'success' : 'failure';
    const event = {
      runbook: 'investigate',
      action: 'investigate',
      actor: target.actor,
      app: target.app,
      runId: randomUUID(),
      outcome,
      target: target.app,
      detail,
    } as const;
    target.telemetry.emit({ name: 'RunbookAction', ...event });
    await target.audit.append({ time: new Date().toISOString(), ...event });

    if (values.json) io.print(JSON.stringify({ markdownPath, jsonPath, summary }, null, 2));
    else {
      io.print(
        `sealops investigate: app ${target.app} (${target.kind}), ${investigation.window.start} to ${investigation.window.end}`,
      );
      io.print(`  Addresses seen: ${summary.addresses.join(', ') || 'none'}`);
      io.print(`  Signing key IDs seen: ${summary.keyIds.join(', ') || 'none'}`);
      io.print(`  Failures and refusals: ${summary.failures}`);
      if (summary.incompleteQueries.length > 0) {
        io.print(`  INCOMPLETE: ${summary.incompleteQueries.join(', ')} (see the report)`);
      }
      io.print(`Report: ${markdownPath}`);
      io.print(`Data:   ${jsonPath}`);
    }
  } finally {
    await target.close();
  }
}
