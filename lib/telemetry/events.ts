import type { CopyMethod } from '../storage/DocumentStore.js';

/**
 * The structured events this app emits. They are the feed for `kql/` detections, for incident
 * responders and for audits, so their names and fields are a contract: add fields freely, never
 * rename or remove one without updating the queries that read it.
 *
 * On Azure each event becomes an `AppEvents` row (classic: `customEvents`) with `Name` = the event
 * name and `Properties` = the fields, every value serialised as a string. On the local stack the
 * same rows land in `.local/telemetry/AppEvents.jsonl`.
 *
 * Never put a key, a token, a password or document content in an event: key IDs and fingerprints
 * only.
 */
export type AppEvent =
  | SealRequestEvent
  | ApiAuthFailureEvent
  | SigningCallEvent
  | ApiKeyUsedEvent
  | RotationStepEvent
  | RotationAlertEvent
  | DetectionAlertEvent
  | RunbookActionEvent;

/** Outcome of an operation, as the detections group it. */
export type Outcome = 'success' | 'failure';

/** One request to seal-pdf, whatever its result (refused callers emit `ApiAuthFailure` instead). */
export interface SealRequestEvent {
  readonly name: 'SealRequest';
  readonly outcome: Outcome;
  /** HTTP status returned to the caller. */
  readonly statusCode: number;
  /** Stable error code when `outcome` is failure, for example `PDF_ENCRYPTED`. */
  readonly errorCode?: string;
  readonly mode: 'direct' | 'storage';
  /** What started a storage-mode seal: an HTTP request, or a blob dropped in the inbox. */
  readonly trigger?: 'http' | 'drop-folder';
  /**
   * How a successful storage-mode seal copied the original bytes (`service`, `staged`,
   * `streamed`, `in-place`): a deployment whose seals turn `streamed` has lost its fast path.
   */
  readonly copy?: CopyMethod;
  /** Size of the input PDF in bytes, when known. */
  readonly sizeBytes?: number;
  readonly durationMs: number;
  /** Signing API key ID that sealed the document. */
  readonly keyId?: string;
  readonly clientIp?: string;
  readonly invocationId?: string;
}

/**
 * A caller refused by the app's own authorization before any work was done: today, a storage
 * request naming a container outside the allowlist (probing for containers). Refusals by the
 * platform itself (a missing or wrong function key, a blocked address) never reach the app; they
 * are in the App Service HTTP log, which the failed-authentication detections read beside this.
 */
export interface ApiAuthFailureEvent {
  readonly name: 'ApiAuthFailure';
  readonly reason: 'container_not_allowed';
  readonly statusCode: number;
  readonly functionName: string;
  readonly clientIp?: string;
}

/** One call to the signing API. */
export interface SigningCallEvent {
  readonly name: 'SigningCall';
  readonly outcome: Outcome;
  readonly keyId: string;
  /** HTTP status from the signing service; absent when it could not be reached. */
  readonly statusCode?: number;
  readonly errorCode?: string;
  readonly durationMs: number;
  readonly timestamp: boolean;
  /** True when this call retried with another valid key after the first was refused. */
  readonly retriedWithOtherKey: boolean;
}

/** A signing API key was used successfully: the feed for key-usage detections and rotation. */
export interface ApiKeyUsedEvent {
  readonly name: 'ApiKeyUsed';
  readonly keyId: string;
  readonly fingerprint: string;
  /** The Key Vault secret version the key came from, when it came from Key Vault. */
  readonly secretVersion?: string;
}

/** One step of a key rotation. */
export interface RotationStepEvent {
  readonly name: 'RotationStep';
  /** The managed credential, for example `signing-api-key` or `function-key:seal-pdf`. */
  readonly credential: string;
  readonly step: string;
  readonly outcome: Outcome | 'skipped';
  readonly keyId?: string;
  readonly attempt?: number;
  readonly reason?: string;
}

/** A rotation needs a person: an escalation or automation stopped for a credential. */
export interface RotationAlertEvent {
  readonly name: 'RotationAlert';
  readonly credential: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly kind: 'escalation' | 'automation_stopped' | 'expiry_imminent';
  readonly step?: string;
  readonly reason: string;
  readonly daysToExpiry?: number;
}

/** A detection fired. */
export interface DetectionAlertEvent {
  readonly name: 'DetectionAlert';
  readonly detection: string;
  readonly severity: string;
  readonly rowCount: number;
  readonly summary: string;
  readonly runbook?: string;
  /** The alert's `groupBy` values, e.g. `ClientIp=203.0.113.7` (pairs joined by `&`). */
  readonly alertKey?: string;
  /** True when the query returned only part of its data: more alerts may have been missed. */
  readonly partial?: boolean;
}

/** An action taken by an incident runbook. */
export interface RunbookActionEvent {
  readonly name: 'RunbookAction';
  readonly runbook: string;
  readonly action: string;
  readonly actor: string;
  readonly outcome: Outcome | 'planned' | 'unchanged' | 'refused';
  readonly target?: string;
  readonly detail?: string;
  /** One invocation of a runbook command: every event of that run carries it. */
  readonly runId?: string;
  /** The containment incident the run belongs to, when there is one. */
  readonly incidentId?: string;
  /** The app acted on: the Function App name on Azure, `sealops` locally. */
  readonly app?: string;
}
