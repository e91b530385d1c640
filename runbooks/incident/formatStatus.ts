import type { ContainmentStatus } from '../../lib/runbooks/status/readContainmentStatus.js';

/** `sealops status` as text: the incident, what is in force and since when, keys, drift. */
export function formatStatus(status: ContainmentStatus, kind: string): string[] {
  const lines = [`sealops status: app ${status.app} (${kind}), checked ${status.checkedAt}`, ''];
  const incident = status.incident;
  if (incident === undefined) lines.push('Incident: none recorded.');
  else if (incident.status === 'open') {
    lines.push(
      `Incident ${incident.incidentId}: OPEN since ${incident.openedAt} by ${incident.openedBy}` +
        (incident.reason ? ` (${incident.reason})` : ''),
    );
  } else {
    lines.push(
      `Incident ${incident.incidentId}: closed ${incident.closedAt ?? '?'} by ${incident.closedBy ?? '?'} ` +
        `(opened ${incident.openedAt} by ${incident.openedBy})`,
    );
  }
  lines.push(
    `App: ${status.appState}; ${status.sealFunction.name}: ${status.sealFunction.disabled ? 'disabled' : 'enabled'}`,
    '',
    'In force now:',
  );
  if (status.inForce.length === 0) lines.push('  nothing is contained');
  for (const measure of status.inForce) {
    const since = measure.since ? ` (since ${measure.since} by ${measure.by ?? '?'})` : '';
    const origin =
      measure.kind === 'other'
        ? ' [not made by a runbook]'
        : measure.kind === 'address-blocked-automatically'
          ? ' [added by a detection]'
          : '';
    lines.push(`  - ${measure.description}${since}${origin}`);
  }
  if (status.signingKeys !== undefined) {
    lines.push('', 'Signing keys:');
    if (status.signingKeys.length === 0) lines.push('  none in Key Vault');
    for (const key of status.signingKeys) {
      const state = key.valid ? 'valid' : key.enabled ? 'expired or not yet valid' : 'disabled';
      lines.push(
        `  - ${key.keyId} (version ${key.secretVersion}): ${state}` +
          (key.expiresOn ? `, expires ${key.expiresOn}` : ''),
      );
    }
  }
  if (status.drift.length > 0) {
    lines.push('', 'The record and the live state disagree:');
    for (const line of status.drift) lines.push(`  - ${line}`);
  }
  return lines;
}
