import type { AppControl } from '../../lib/appcontrol/AppControl.js';
import type { LogQuerySource } from '../../lib/detections/LogQuerySource.js';
import type { AppEndpoint } from '../../lib/runbooks/AppEndpoint.js';
import type { ContainmentStore } from '../../lib/runbooks/ContainmentStore.js';
import type { SigningKeyAccess } from '../../lib/runbooks/SigningKeyAccess.js';
import type { TelemetrySink } from '../../lib/telemetry/TelemetrySink.js';
import type { FileAuditLog } from './FileAuditLog.js';

/**
 * Everything an incident command acts through, for one app: the local stack or an Azure Function
 * App. The commands and the playbook logic are the same for both; only this differs.
 */
export interface RunbookTarget {
  readonly kind: 'local' | 'azure';
  /** The app's name: the Function App on Azure, `sealops` locally. */
  readonly app: string;
  readonly sealFunction: string;
  /** Who runs the command, for the audit trail. */
  readonly actor: string;
  readonly control: AppControl;
  readonly store: ContainmentStore;
  readonly telemetry: TelemetrySink;
  readonly audit: FileAuditLog;
  readonly endpoint: AppEndpoint;
  /** Absent when the target has no Key Vault configured. */
  readonly signingKeys?: SigningKeyAccess;
  /** The log source for investigations, or why there is none. */
  readonly logs: LogQuerySource | { readonly unavailable: string };
  /** Addresses the responder calls from (a block containing one is refused); empty: unknown. */
  readonly responderAddresses: readonly string[];
  /** PEM roots the test seal must chain to; empty: the chain is not checked. */
  readonly trustedRoots: readonly string[];
  /** Where investigation reports go by default. */
  readonly reportDirectory: string;
  /** Flushes telemetry; call before the process exits. */
  close(): Promise<void>;
}
