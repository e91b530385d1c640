import type { AlertWebhookPayload } from './AlertWebhookPayload.js';

/** How a detection's last run went. */
export type RunOutcome = 'success' | 'partial' | 'failed';

/** A detection's last run, as the alert timer remembers it. */
export interface DetectionRunRecord {
  /** When it ran, ISO 8601. */
  readonly at: string;
  readonly outcome: RunOutcome;
}

/** A webhook post that failed and is tried again on the next run. */
export interface PendingWebhook {
  /** `<detection id>|<alert key>|<raised at>`: unique per alert. */
  readonly id: string;
  readonly payload: AlertWebhookPayload;
  /** Posts tried so far. */
  readonly attempts: number;
}

/**
 * What the alert timer remembers between runs, persisted as one JSON document (a blob in the
 * `sealops-detections` container): when each detection last ran, which alerts are inside their
 * suppression window, and which webhook posts are still to be delivered.
 */
export interface DetectionState {
  readonly version: 1;
  /** By detection ID. */
  readonly runs: Readonly<Record<string, DetectionRunRecord>>;
  /** By suppression key (`<detection id>|<alert key>`): when the window ends, ISO 8601. */
  readonly suppressedUntil: Readonly<Record<string, string>>;
  readonly pendingWebhooks: readonly PendingWebhook[];
}

export const emptyDetectionState: DetectionState = {
  version: 1,
  runs: {},
  suppressedUntil: {},
  pendingWebhooks: [],
};

/**
 * Reads a stored state document. A document this version cannot read gives the empty state and
 * the reason: losing the state costs repeated alerts for at most one suppression window, while
 * refusing to run would silence every detection until someone repaired the document.
 */
export function parseDetectionState(text: string): { state: DetectionState; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: emptyDetectionState, problem: 'the stored state is not JSON' };
  }
  const candidate = json as Partial<DetectionState> | null;
  if (
    candidate?.version !== 1 ||
    !isRecord(candidate.runs) ||
    !isRecord(candidate.suppressedUntil) ||
    !Array.isArray(candidate.pendingWebhooks)
  ) {
    return { state: emptyDetectionState, problem: 'the stored state has an unknown shape' };
  }
  return { state: candidate as DetectionState };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
