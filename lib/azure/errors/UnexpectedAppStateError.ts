import { SealOpsError } from '../../errors/SealOpsError.js';

/** ARM reported an app state that is neither `Running` nor `Stopped`, so nothing can be decided. */
export class UnexpectedAppStateError extends SealOpsError {
  readonly code = 'APP_STATE_UNEXPECTED';
  readonly httpStatus = 502;
  readonly state: string | undefined;

  constructor(appName: string, state: string | undefined) {
    super(
      `Azure Resource Manager reports the state of app '${appName}' as '${state ?? 'absent'}', ` +
        "expected 'Running' or 'Stopped'; check the app in the portal before acting on it.",
    );
    this.state = state;
  }
}
