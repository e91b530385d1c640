import type { WrittenObject } from './UpdateWriter.js';

/** What the update's trailer carries over from the original's, already printed as PDF. */
export interface TrailerEntries {
  /** The original's `/Size`; the update's is at least this. */
  readonly size: number;
  /** `/Root`, such as `1 0 R`. */
  readonly root: string;
  /** `/Info`, when the original has one. */
  readonly info?: string;
  /** `/ID`, such as `[<...> <...>]`, when the original has one. */
  readonly id?: string;
  /** `/Prev`: the offset of the original's newest xref section. */
  readonly prev: number;
}

/** The trailer's keys and values for an update whose section lists `objects`. */
export function printTrailerEntries(
  entries: TrailerEntries,
  objects: readonly WrittenObject[],
): string {
  const size = Math.max(entries.size, ...objects.map((object) => object.objectNumber + 1));
  return [
    `/Size ${size}`,
    `/Root ${entries.root}`,
    entries.info === undefined ? '' : `/Info ${entries.info}`,
    entries.id === undefined ? '' : `/ID ${entries.id}`,
    `/Prev ${entries.prev}`,
  ]
    .filter((entry) => entry !== '')
    .join(' ');
}

/** `objects` sorted by number and cut into runs of consecutive numbers, one per subsection. */
export function consecutiveRuns(objects: readonly WrittenObject[]): WrittenObject[][] {
  const sorted = [...objects].sort((a, b) => a.objectNumber - b.objectNumber);
  const runs: WrittenObject[][] = [];
  for (const object of sorted) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && last.objectNumber + 1 === object.objectNumber) run.push(object);
    else runs.push([object]);
  }
  return runs;
}
