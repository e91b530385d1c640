import { SealOpsError } from '../errors/SealOpsError.js';

/** A request field is missing, of the wrong type or out of range. */
export class InvalidRequestError extends SealOpsError {
  readonly code = 'INVALID_REQUEST';
  readonly httpStatus = 400;

  constructor(field: string, expectation: string) {
    super(`The field "${field}" is invalid: ${expectation}.`);
  }
}

/** The request is not JSON when it claims to be. */
export class MalformedJsonError extends SealOpsError {
  readonly code = 'MALFORMED_JSON';
  readonly httpStatus = 400;

  constructor() {
    super('The request body is not valid JSON; send a JSON object or a raw application/pdf body.');
  }
}

/** The PDF is larger than direct mode accepts. */
export class PdfTooLargeError extends SealOpsError {
  readonly code = 'PDF_TOO_LARGE';
  readonly httpStatus = 413;

  constructor(limitBytes: number, actualBytes?: number) {
    const actual = actualBytes === undefined ? 'more' : `${actualBytes} bytes`;
    super(
      `The PDF is too large for direct mode: ${actual} where at most ${limitBytes} bytes are ` +
        'accepted; use storage mode for larger files.',
    );
  }
}

/** The request's content type is neither a PDF nor JSON. */
export class UnsupportedMediaTypeError extends SealOpsError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly httpStatus = 415;

  constructor(contentType: string) {
    super(
      `The content type "${contentType.slice(0, 100)}" is not accepted; send application/pdf ` +
        'or application/json.',
    );
  }
}

/** The request body ended before its announced length, or the connection broke. */
export class IncompleteRequestError extends SealOpsError {
  readonly code = 'INCOMPLETE_REQUEST';
  readonly httpStatus = 400;

  constructor() {
    super('The request body ended early; send the whole document again.');
  }
}
