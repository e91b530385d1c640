/** A command failed in a way the operator can act on; the CLI prints the message, no stack. */
export class CommandError extends Error {
  /** 1: the operation failed; 2: the command line was wrong. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
