import type { RunbookActionEvent } from '../telemetry/events.js';

/**
 * One line of the runbook audit log: the `RunbookAction` event, its time, and for the plan entry
 * the full list of intended steps.
 */
export interface RunbookAuditEntry extends Omit<RunbookActionEvent, 'name'> {
  readonly time: string;
  readonly plan?: readonly string[];
}

/** Where audit entries go besides telemetry: a local JSON-lines file, an array in a test. */
export interface RunbookAuditLog {
  append(entry: RunbookAuditEntry): Promise<void>;
}
