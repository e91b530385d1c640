import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One table of the local log: `<dir>/<table>.jsonl`, one row per line, appended. Several processes
 * (the host, the command line) may write the same table; each row is one `write` with O_APPEND, so
 * lines never interleave on a local file system.
 */
export class JsonLinesTable {
  readonly path: string;

  constructor(directory: string, table: string) {
    mkdirSync(directory, { recursive: true });
    this.path = join(directory, `${table}.jsonl`);
  }

  append(row: object): void {
    // Synchronous on purpose: rows are small, and an event written before the response is sent is
    // an event a test or an analyst can count on seeing.
    appendFileSync(this.path, `${JSON.stringify(row)}\n`);
  }
}
