import { SealOpsError } from '../../errors/SealOpsError.js';

/**
 * The alert webhook did not accept a post. The message never names the URL: a webhook URL is a
 * credential (anyone holding it can post into the channel).
 */
export class AlertWebhookError extends SealOpsError {
  readonly code = 'ALERT_WEBHOOK_FAILED';
  readonly httpStatus = 502;
  readonly statusCode: number | undefined;

  /** @param statusCode the webhook's HTTP status; undefined when it could not be reached in time */
  constructor(statusCode: number | undefined) {
    super(
      `The alert webhook ${statusCode === undefined ? 'could not be reached' : `answered ${statusCode}`}; ` +
        'the alert stays queued and is posted again on the next run.',
    );
    this.statusCode = statusCode;
  }
}
