import type { ScheduledDetection } from './DetectionDefinition.js';
import type { AlertDescription } from './describeAlert.js';
import type { DetectionAlert } from './runDetection.js';

/**
 * The JSON an alert webhook receives. `text` alone is what Slack incoming webhooks and Teams
 * connectors show; `sealops` carries the same alert as fields for automation (a Logic App, a
 * Teams workflow, a SOAR playbook). Holds no secret: key IDs and addresses only.
 */
export interface AlertWebhookPayload {
  readonly text: string;
  readonly sealops: {
    readonly type: 'DetectionAlert';
    readonly app: string;
    readonly detection: string;
    readonly title: string;
    readonly severity: string;
    /** The alert's `groupBy` values, e.g. `ClientIp=203.0.113.7`; empty without `groupBy`. */
    readonly alertKey: string;
    readonly key: Readonly<Record<string, string>>;
    readonly rowCount: number;
    /** The first rows, as text. */
    readonly rows: readonly Readonly<Record<string, string>>[];
    /** True when the query returned only part of its data. */
    readonly partial: boolean;
    readonly raisedAt: string;
    readonly runbook?: string;
  };
}

/** Builds the webhook body for one alert raised at `raisedAt` by the app `app`. */
export function toAlertWebhookPayload(
  detection: ScheduledDetection,
  alert: DetectionAlert,
  description: AlertDescription,
  context: { readonly app: string; readonly raisedAt: Date; readonly partial: boolean },
): AlertWebhookPayload {
  const alertKey = decodeURIComponent(alert.keyText);
  const lines = [
    `[${detection.severity}] ${detection.title} (${context.app})`,
    `Detection ${detection.id} fired${alertKey ? ` for ${alertKey}` : ''} at ` +
      `${context.raisedAt.toISOString()}: ${alert.rows.length} row(s)` +
      `${context.partial ? ', from a partial query result' : ''}.`,
    ...description.rows.map((row) =>
      Object.entries(row)
        .map(([column, value]) => `${column}: ${value}`)
        .join(', '),
    ),
    ...(detection.runbook ? [`Runbook: ${detection.runbook}`] : []),
  ];
  return {
    // Blank lines: Teams joins single newlines into one paragraph; Slack shows them as gaps.
    text: lines.join('\n\n'),
    sealops: {
      type: 'DetectionAlert',
      app: context.app,
      detection: detection.id,
      title: detection.title,
      severity: detection.severity,
      alertKey,
      key: alert.key,
      rowCount: alert.rows.length,
      rows: description.rows,
      partial: context.partial,
      raisedAt: context.raisedAt.toISOString(),
      ...(detection.runbook ? { runbook: detection.runbook } : {}),
    },
  };
}
