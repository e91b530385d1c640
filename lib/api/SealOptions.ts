import type { SubFilter } from '../config/AppSettings.js';
import { subFilters } from '../config/AppSettings.js';
import { InvalidRequestError } from './errors.js';

/** What a caller may say about the seal, in direct and storage mode alike. */
export interface SealRequestOptions {
  /** `/Reason` of the signature. */
  readonly reason?: string;
  /** `/Location` of the signature. */
  readonly location?: string;
  /** `/ContactInfo` of the signature. */
  readonly contactInfo?: string;
  /** Name of the signature field; a free name is chosen when it is taken. @default 'Seal1' */
  readonly fieldName?: string;
  /** Ask the signing service for an RFC 3161 timestamp. @default false */
  readonly timestamp?: boolean;
  /** @default the `SEAL_SUBFILTER` setting */
  readonly subFilter?: SubFilter;
}

/** The names of {@link SealRequestOptions}: query parameters and JSON fields alike. */
export const sealOptionNames = [
  'reason',
  'location',
  'contactInfo',
  'fieldName',
  'timestamp',
  'subFilter',
] as const;

const maxTextLength = 256;

/**
 * Reads the seal options from a JSON object or from query parameters (raw PDF requests), checking
 * each once so that the sealing code can trust them.
 */
export function parseSealOptions(source: Readonly<Record<string, unknown>>): SealRequestOptions {
  const options: {
    -readonly [K in keyof SealRequestOptions]: SealRequestOptions[K];
  } = {};
  for (const field of ['reason', 'location', 'contactInfo'] as const) {
    const value = source[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > maxTextLength || /[\p{Cc}]/u.test(value)) {
      throw new InvalidRequestError(field, `expected text of at most ${maxTextLength} characters`);
    }
    options[field] = value;
  }
  const fieldName = source.fieldName;
  if (fieldName !== undefined) {
    if (typeof fieldName !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fieldName)) {
      throw new InvalidRequestError('fieldName', 'expected 1 to 64 letters, digits, "_" or "-"');
    }
    options.fieldName = fieldName;
  }
  const timestamp = source.timestamp;
  if (timestamp !== undefined) {
    if (timestamp === true || timestamp === 'true') options.timestamp = true;
    else if (timestamp === false || timestamp === 'false') options.timestamp = false;
    else throw new InvalidRequestError('timestamp', 'expected true or false');
  }
  const subFilter = source.subFilter;
  if (subFilter !== undefined) {
    if (!subFilters.includes(subFilter as SubFilter)) {
      throw new InvalidRequestError('subFilter', `expected one of ${subFilters.join(', ')}`);
    }
    options.subFilter = subFilter as SubFilter;
  }
  return options;
}
