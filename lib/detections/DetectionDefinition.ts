import type { WorkspaceTableName } from './workspaceSchema.js';

/** Severity, with Microsoft Sentinel's names. */
export type DetectionSeverity = 'Informational' | 'Low' | 'Medium' | 'High';

/** How the number of result rows is compared with `triggerThreshold`, as in Sentinel rules. */
export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';

/** Where a query sits in MITRE ATT&CK (Enterprise). */
export interface MitreAttack {
  /** Tactic names without spaces, as Sentinel writes them, for example `CredentialAccess`. */
  readonly tactics: readonly string[];
  /** Technique or sub-technique IDs, for example `T1110` or `T1110.001`. */
  readonly techniques: readonly string[];
}

/** A containment step the alert pipeline may take on its own when the detection fires. */
export interface AutomaticContainment {
  /** Add the address in `column` to the app's access restrictions. */
  readonly action: 'block-address';
  /** The result column holding the address; always one of `groupBy`. */
  readonly column: string;
}

interface QueryDefinitionBase {
  /** Kebab-case, the file name without extension: `kql/<id>.kql` and `kql/<id>.json`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: DetectionSeverity;
  /** The workspace tables the query reads; checked against the query. */
  readonly tables: readonly WorkspaceTableName[];
  /**
   * How far back the query looks, ISO 8601 (`PT5M`, `P14D`): the time range it is run over.
   * For hunting queries, the default range an analyst starts with.
   */
  readonly queryPeriod: string;
  /** The runbook section to follow, for example `runbooks/contain.md#block-addresses`. */
  readonly runbook?: string;
  readonly mitre?: MitreAttack;
  /**
   * Result columns that identify one alert: rows with the same values form one alert and share a
   * suppression window. Empty when every run gives at most one alert.
   */
  readonly groupBy: readonly string[];
  /** The query text, as read from `kql/<id>.kql`. */
  readonly query: string;
}

/** A scheduled detection: run every `queryFrequency`, alert when the trigger condition holds. */
export interface ScheduledDetection extends QueryDefinitionBase {
  readonly kind: 'detection';
  /** How often to run, ISO 8601, at least `PT1M`, at most `queryPeriod`. */
  readonly queryFrequency: string;
  readonly triggerOperator: TriggerOperator;
  /** Compared with the number of result rows, 0 to 10000. */
  readonly triggerThreshold: number;
  /** How long an alert for the same `groupBy` values stays quiet after firing, ISO 8601. */
  readonly suppression: string;
  readonly automaticContainment?: AutomaticContainment;
}

/** A query for analysts and runbooks; never alerts. */
export interface HuntingQuery extends QueryDefinitionBase {
  readonly kind: 'hunting';
}

/** One file pair in kql/: a detection or a hunting query. */
export type DetectionDefinition = ScheduledDetection | HuntingQuery;
