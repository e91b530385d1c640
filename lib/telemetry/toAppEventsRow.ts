import type { AppEvent } from './events.js';

/**
 * One row of the workspace `AppEvents` table, as Application Insights stores a custom event and as
 * the local stack writes it to `.local/telemetry/AppEvents.jsonl`. Every property is a string, as
 * the Azure Monitor exporter serialises them.
 */
export interface AppEventsRow {
  TimeGenerated: string;
  Name: string;
  Properties: Record<string, string>;
  ItemCount: number;
  AppRoleName: string;
  ClientIP: string;
  OperationId: string;
}

/** Builds the row for `event`, emitted at `time` by the app called `appRoleName`. */
export function toAppEventsRow(
  event: AppEvent,
  time: Date,
  appRoleName: string,
  operationId = '',
): AppEventsRow {
  const { name, ...fields } = event;
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) properties[key] = String(value);
  }
  return {
    TimeGenerated: time.toISOString(),
    Name: name,
    Properties: properties,
    ItemCount: 1,
    AppRoleName: appRoleName,
    // Application Insights masks the address to 0.0.0.0 unless DisableIpMasking is set; the real
    // address travels in Properties.clientIp, which detections read instead.
    ClientIP: '0.0.0.0',
    OperationId: operationId,
  };
}
