import type { ContainmentRecord } from './ContainmentRecord.js';
import { ContainmentRecordInvalidError } from './errors/ContainmentRecordInvalidError.js';

/** Reads a stored record, checking the fields everything else relies on. */
export function parseContainmentRecord(text: string, location: string): ContainmentRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ContainmentRecordInvalidError(location, 'not JSON');
  }
  const record = value as Partial<ContainmentRecord> | null;
  if (record?.schema !== 1) throw new ContainmentRecordInvalidError(location, 'schema is not 1');
  for (const field of ['app', 'incidentId', 'openedAt', 'openedBy'] as const) {
    if (typeof record[field] !== 'string') {
      throw new ContainmentRecordInvalidError(location, `${field} is not a string`);
    }
  }
  if (record.status !== 'open' && record.status !== 'closed') {
    throw new ContainmentRecordInvalidError(location, "status is neither 'open' nor 'closed'");
  }
  if (!Array.isArray(record.actions)) {
    throw new ContainmentRecordInvalidError(location, 'actions is not a list');
  }
  return record as ContainmentRecord;
}
