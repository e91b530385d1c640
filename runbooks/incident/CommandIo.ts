import type { StepResult } from '../../lib/runbooks/RunbookRunReport.js';

/** How an incident command talks to the world besides its target: output, and test wiring. */
export interface CommandIo {
  /** Prints one line of output. @default console.log */
  readonly print: (line: string) => void;
  /** @default process.env */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Called after each step, before the next. Only tests set it: one that throws stops the run
   * after that step, as a killed process would, to prove that running the command again finishes.
   */
  readonly afterStep?: (result: StepResult, index: number) => void | Promise<void>;
}

/** The I/O of the real command line. */
export const consoleIo: CommandIo = { print: (line) => console.log(line), env: process.env };
