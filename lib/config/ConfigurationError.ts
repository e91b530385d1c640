import { SealOpsError } from '../errors/SealOpsError.js';

/** An app setting is missing or malformed. Names the setting, never its value. */
export class ConfigurationError extends SealOpsError {
  readonly code = 'CONFIGURATION_ERROR';
  readonly httpStatus = 500;

  constructor(setting: string, expectation: string) {
    super(`The app setting ${setting} is ${expectation}; an operator must fix the configuration.`);
  }
}
