/**
 * The base of every failure this app reports on purpose.
 *
 * `code` is stable and machine-readable (clients and detections match on it); `message` is one
 * sentence a person can act on. Subclasses build the message from typed arguments in their
 * constructor, so that a secret or document content can never be passed in by accident.
 */
export abstract class SealOpsError extends Error {
  /** Stable, machine-readable code, for example `PDF_ENCRYPTED`. */
  abstract readonly code: string;
  /** The HTTP status this failure maps to when it reaches a client. */
  abstract readonly httpStatus: number;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
