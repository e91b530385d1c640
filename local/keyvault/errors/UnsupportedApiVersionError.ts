import { LocalVaultError } from './LocalVaultError.js';

/** An api-version the (strict) local vault does not serve. */
export class UnsupportedApiVersionError extends LocalVaultError {
  readonly code = 'BadParameter';
  readonly httpStatus = 400;

  /** @param apiVersion - what the request carried; `undefined` when it carried none */
  constructor(apiVersion: string | undefined, latest: string) {
    super(
      apiVersion === undefined
        ? `The request has no api-version; consider using the latest supported version (${latest}).`
        : `The specified version (${apiVersion}) is not recognized. Consider using the latest ` +
            `supported version (${latest}).`,
    );
  }
}
