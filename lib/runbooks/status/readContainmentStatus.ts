import type { AppControl } from '../../appcontrol/AppControl.js';
import { isSigningKeyValid, readSigningKeyVersion } from '../../credentials/signingKeySecret.js';
import { parseAddressRange } from '../AddressRange.js';
import { blockRulePrefix } from '../blockRules.js';
import type { ContainmentAction, ContainmentRecord } from '../ContainmentRecord.js';
import { activeActions, findAction } from '../ContainmentRecord.js';
import { functionKeyFingerprint } from '../functionKeyFingerprint.js';
import { keyTarget } from '../steps/replaceKey.js';
import type { SigningKeyAccess } from '../SigningKeyAccess.js';

/** One containment measure in force now, with since when and by whom when a runbook made it. */
export interface ContainmentMeasure {
  readonly kind: ContainmentAction['kind'] | 'address-blocked-automatically' | 'other';
  readonly target: string;
  /** One sentence, e.g. `203.0.113.7/32 denied by rule sealops-block-1a2b3c4d (priority 10)`. */
  readonly description: string;
  readonly since?: string;
  readonly by?: string;
}

/** One signing key version as the vault holds it. */
export interface SigningKeyState {
  readonly keyId: string;
  readonly secretVersion: string;
  readonly enabled: boolean;
  readonly valid: boolean;
  readonly expiresOn?: string;
}

/** What `sealops status` shows: the record and the live state, side by side. */
export interface ContainmentStatus {
  readonly app: string;
  readonly checkedAt: string;
  readonly incident?: Omit<ContainmentRecord, 'actions' | 'schema'>;
  readonly appState: 'Running' | 'Stopped';
  readonly sealFunction: { readonly name: string; readonly disabled: boolean };
  /** Every measure in force now: the incident's and those found live without a record. */
  readonly inForce: readonly ContainmentMeasure[];
  /** The signing key versions; absent when the target has no Key Vault configured. */
  readonly signingKeys?: readonly SigningKeyState[];
  /** Where the record and the live state disagree, one sentence each. */
  readonly drift: readonly string[];
  /** Every action of the current incident, lifted or not. */
  readonly actions: readonly ContainmentAction[];
}

/** Options of {@link readContainmentStatus}. */
export interface StatusContext {
  readonly app: string;
  readonly sealFunction: string;
  readonly control: AppControl;
  readonly record: ContainmentRecord | undefined;
  readonly signingKeys?: SigningKeyAccess;
  readonly clock?: () => Date;
}

/** Reads the live state and sets it beside the containment record. Changes nothing. */
export async function readContainmentStatus(context: StatusContext): Promise<ContainmentStatus> {
  const { control, record, sealFunction } = context;
  const now = (context.clock ?? (() => new Date()))();
  const open = record?.status === 'open' ? record : undefined;
  const appState = await control.getState();
  const sealDisabled = await control.isFunctionDisabled(sealFunction);
  const rules = await control.getAccessRules();
  const inForce: ContainmentMeasure[] = [];
  const drift: string[] = [];
  const meta = (action: ContainmentAction | undefined) =>
    action === undefined || action.liftedAt !== undefined
      ? {}
      : { since: action.at, by: action.by };

  if (appState === 'Stopped') {
    const action = findAction(open, 'app-stopped', context.app);
    inForce.push({
      kind: action ? 'app-stopped' : 'other',
      target: context.app,
      description: 'app stopped: every request gets 403',
      ...meta(action),
    });
  }
  if (sealDisabled) {
    const action = findAction(open, 'function-disabled', sealFunction);
    inForce.push({
      kind: action ? 'function-disabled' : 'other',
      target: sealFunction,
      description: `${sealFunction} disabled: its route answers 404`,
      ...meta(action),
    });
  }
  for (const rule of rules.filter((r) => r.action === 'Deny')) {
    const cidr = cidrOf(rule.ipAddress);
    const action = findAction(open, 'address-blocked', cidr);
    const kind =
      action?.liftedAt === undefined && action !== undefined
        ? 'address-blocked'
        : rule.name.startsWith(blockRulePrefix)
          ? 'address-blocked-automatically'
          : 'other';
    inForce.push({
      kind,
      target: cidr,
      description: `${cidr} denied by rule ${rule.name} (priority ${rule.priority})${rule.description ? `: ${rule.description}` : ''}`,
      ...meta(action),
    });
  }

  for (const action of activeActions(open, 'key-replaced')) {
    inForce.push({
      kind: 'key-replaced',
      target: action.target,
      description: `${action.target} replaced (revoked ${action.revokedFingerprint}, now ${action.newFingerprint})`,
      since: action.at,
      by: action.by,
    });
  }
  for (const action of activeActions(open, 'signing-key-disabled')) {
    inForce.push({
      kind: 'signing-key-disabled',
      target: action.target,
      description: `signing key ${action.target} disabled in Key Vault`,
      since: action.at,
      by: action.by,
    });
  }
  for (const action of activeActions(open, 'signing-key-revoked')) {
    inForce.push({
      kind: 'signing-key-revoked',
      target: action.target,
      description: `signing key ${action.target} revoked at the signing service`,
      since: action.at,
      by: action.by,
    });
  }

  for (const action of activeActions(open, 'app-stopped')) {
    if (appState !== 'Stopped')
      drift.push(`The record says the app was stopped at ${action.at}, but it is ${appState}.`);
  }
  for (const action of activeActions(open, 'function-disabled')) {
    if (!(await control.isFunctionDisabled(action.target)))
      drift.push(
        `The record says ${action.target} was disabled at ${action.at}, but it is enabled.`,
      );
  }
  for (const action of activeActions(open, 'address-blocked')) {
    if (!rules.some((rule) => rule.name === action.ruleName))
      drift.push(
        `The record says ${action.target} was blocked at ${action.at}, but rule ${action.ruleName} is gone.`,
      );
  }
  await checkKeyDrift(control, sealFunction, open, drift);

  const signingKeys = context.signingKeys
    ? await readSigningKeys(context.signingKeys, now)
    : undefined;
  return {
    app: context.app,
    checkedAt: now.toISOString(),
    ...(record ? { incident: incidentOf(record) } : {}),
    appState,
    sealFunction: { name: sealFunction, disabled: sealDisabled },
    inForce,
    ...(signingKeys ? { signingKeys } : {}),
    drift,
    actions: record?.actions ?? [],
  };
}

function incidentOf(record: ContainmentRecord): ContainmentStatus['incident'] {
  return {
    app: record.app,
    incidentId: record.incidentId,
    status: record.status,
    openedAt: record.openedAt,
    openedBy: record.openedBy,
    ...(record.reason === undefined ? {} : { reason: record.reason }),
    ...(record.closedAt === undefined ? {} : { closedAt: record.closedAt }),
    ...(record.closedBy === undefined ? {} : { closedBy: record.closedBy }),
  };
}

async function checkKeyDrift(
  control: AppControl,
  sealFunction: string,
  open: ContainmentRecord | undefined,
  drift: string[],
): Promise<void> {
  const replaced = activeActions(open, 'key-replaced');
  if (replaced.length === 0) return;
  const live = new Map<string, string>();
  for (const [name, value] of Object.entries(await control.listFunctionKeys(sealFunction))) {
    live.set(keyTarget({ functionName: sealFunction }, name), functionKeyFingerprint(value));
  }
  for (const [name, value] of Object.entries(await control.listHostKeys())) {
    live.set(keyTarget({ host: true }, name), functionKeyFingerprint(value));
  }
  for (const action of replaced) {
    const fingerprint = live.get(action.target);
    if (fingerprint === action.revokedFingerprint) {
      drift.push(
        `${action.target} still has the revoked value ${fingerprint}: the replacement did not happen or was undone.`,
      );
    } else if (fingerprint !== undefined && fingerprint !== action.newFingerprint) {
      drift.push(
        `${action.target} has changed again since the incident replaced it (now ${fingerprint}).`,
      );
    }
  }
}

async function readSigningKeys(access: SigningKeyAccess, now: Date): Promise<SigningKeyState[]> {
  const states: SigningKeyState[] = [];
  for (const properties of await access.store.listVersions(access.secretName)) {
    try {
      const version = readSigningKeyVersion(properties);
      states.push({
        keyId: version.keyId,
        secretVersion: version.secretVersion,
        enabled: version.enabled,
        valid: isSigningKeyValid(version, now),
        ...(version.expiresOn ? { expiresOn: version.expiresOn.toISOString() } : {}),
      });
    } catch {
      // A version without the layout's tags is not a signing key this app can use.
      continue;
    }
  }
  return states;
}

function cidrOf(ipAddress: string): string {
  try {
    return parseAddressRange(ipAddress).cidr;
  } catch {
    return ipAddress;
  }
}
