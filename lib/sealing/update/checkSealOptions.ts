import { InvalidSealOptionsError } from '../errors/InvalidSealOptionsError.js';
import type { SealOptions, SealSubFilter } from '../SealOptions.js';
import {
  defaultContentsCapacity,
  sealSubFilters,
  timestampedContentsCapacity,
} from '../SealOptions.js';

/** {@link SealOptions} with every default applied. */
export interface SealSettings {
  readonly signingTime: Date;
  readonly fieldName: string;
  readonly subFilter: SealSubFilter;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly contentsCapacity: number;
}

const maxTextLength = 1024;
const minContentsCapacity = 1024;
const maxContentsCapacity = 1024 * 1024;

/** Applies the defaults and checks each option. @throws InvalidSealOptionsError */
export function checkSealOptions(options: SealOptions): SealSettings {
  const {
    signingTime,
    fieldName = 'Seal1',
    subFilter = 'adbe.pkcs7.detached',
    reason,
    location,
    contactInfo,
    timestamp = false,
    contentsCapacity = timestamp ? timestampedContentsCapacity : defaultContentsCapacity,
  } = options;

  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime())) {
    throw new InvalidSealOptionsError('signingTime', 'a valid Date');
  }
  // A period separates the parts of a fully qualified field name (ISO 32000-1, 12.7.3.2).
  if (!/^[^.\p{Cc}]{1,128}$/u.test(fieldName)) {
    throw new InvalidSealOptionsError(
      'fieldName',
      '1 to 128 characters, without periods or control characters',
    );
  }
  if (!sealSubFilters.includes(subFilter)) {
    throw new InvalidSealOptionsError('subFilter', `one of ${sealSubFilters.join(', ')}`);
  }
  for (const [name, text] of Object.entries({ reason, location, contactInfo })) {
    if (text !== undefined && (typeof text !== 'string' || text.length > maxTextLength)) {
      throw new InvalidSealOptionsError(name, `text of at most ${maxTextLength} characters`);
    }
  }
  if (
    !Number.isSafeInteger(contentsCapacity) ||
    contentsCapacity < minContentsCapacity ||
    contentsCapacity > maxContentsCapacity
  ) {
    throw new InvalidSealOptionsError(
      'contentsCapacity',
      `a whole number of bytes from ${minContentsCapacity} to ${maxContentsCapacity}`,
    );
  }
  return { signingTime, fieldName, subFilter, reason, location, contactInfo, contentsCapacity };
}
