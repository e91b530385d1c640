import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { RunbookAuditEntry, RunbookAuditLog } from '../../lib/runbooks/RunbookAuditLog.js';

/**
 * The local audit log: one JSON line per entry, appended to a file on the responder's machine
 * (`<stateDir>/audit/runbooks.jsonl` by default). Each line is one `write` with O_APPEND, so two
 * runs never interleave within a line.
 */
export class FileAuditLog implements RunbookAuditLog {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async append(entry: RunbookAuditEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}
