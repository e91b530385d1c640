import type { RotationAlertEvent } from '../telemetry/events.js';
import type { KeyInventory } from './CredentialDriver.js';
import type { RotationPolicy } from './RotationPolicy.js';
import type { RotationRecord } from './RotationState.js';

const day = 24 * 60 * 60 * 1000;
/** Days before expiry at which an unpublished rotation is reported, whoever issues the key. */
const expiryAlertDays = [7, 1];

/** Alerts to raise now, and the labels to remember so each is raised once per rotation. */
export interface DueAlerts {
  readonly alerts: readonly RotationAlertEvent[];
  readonly alerted: readonly string[];
}

export interface DueAlertInputs {
  readonly credential: string;
  readonly policy: RotationPolicy;
  readonly issuance: 'automatic' | 'operator';
  readonly rotation: RotationRecord;
  readonly inventory: KeyInventory;
  readonly now: Date;
  /** The command an operator runs to stage a key, for the escalation text. */
  readonly stageHint: string;
}

/**
 * The alerts due while a rotation has not yet published its key: operator escalations at the
 * policy's days before expiry (30, 14, 7, 1), expiry warnings at 7 and 1 days whoever issues the
 * key, and, on every run, a critical alert when no valid key is left at all.
 */
export function raiseDueAlerts(inputs: DueAlertInputs): DueAlerts {
  const { credential, policy, issuance, rotation, inventory, now } = inputs;
  if (rotation.publishedAt !== undefined) return { alerts: [], alerted: [] };
  const [current] = inventory.valid;
  if (current === undefined) {
    return {
      alerts: [
        {
          name: 'RotationAlert',
          credential,
          severity: 'critical',
          kind: 'expiry_imminent',
          reason:
            `No valid key is left for ${credential}: every use fails until a new key is ` +
            `published. ${issuance === 'operator' ? inputs.stageHint : 'The rotation is obtaining one.'}`,
          daysToExpiry: 0,
        },
      ],
      alerted: [],
    };
  }
  if (current.expiresOn === undefined) return { alerts: [], alerted: [] };

  const daysToExpiry = (current.expiresOn.getTime() - now.getTime()) / day;
  const waiting = issuance === 'operator' && rotation.candidate === undefined;
  const labelled = [
    ...(waiting
      ? policy.escalationDays.map((days) => ({ days, label: `escalation:${days}` }))
      : []),
    ...expiryAlertDays.map((days) => ({ days, label: `expiry:${days}` })),
  ].filter(({ days, label }) => daysToExpiry <= days && !rotation.alerted.includes(label));
  if (labelled.length === 0) return { alerts: [], alerted: [] };

  const alerts: RotationAlertEvent[] = [];
  const rounded = Math.max(0, Math.floor(daysToExpiry * 10) / 10);
  const expires = `key ${current.keyId} expires ${current.expiresOn.toISOString()} (in ${rounded} days)`;
  const escalation = labelled.filter(({ label }) => label.startsWith('escalation:'));
  const smallest = Math.min(...escalation.map(({ days }) => days));
  if (escalation.length > 0) {
    alerts.push({
      name: 'RotationAlert',
      credential,
      severity: smallest <= 1 ? 'critical' : smallest <= 14 ? 'warning' : 'info',
      kind: 'escalation',
      step: 'obtain',
      reason: `A new key is needed for ${credential}: ${expires}. ${inputs.stageHint}`,
      daysToExpiry: rounded,
    });
  }
  if (labelled.some(({ label }) => label.startsWith('expiry:')) && escalation.length === 0) {
    alerts.push({
      name: 'RotationAlert',
      credential,
      severity: daysToExpiry <= 1 ? 'critical' : 'warning',
      kind: 'expiry_imminent',
      step: rotation.candidate === undefined ? 'obtain' : 'test',
      reason: `The rotation of ${credential} has not published a new key yet and ${expires}.`,
      daysToExpiry: rounded,
    });
  }
  return { alerts, alerted: labelled.map(({ label }) => label) };
}
