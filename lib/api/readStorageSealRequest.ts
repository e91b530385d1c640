import type { BlobLocation } from '../storage/BlobLocation.js';
import { checkBlobLocation } from '../storage/checkBlobLocation.js';
import { InvalidRequestError } from './errors.js';
import { parseSealOptions, sealOptionNames, type SealRequestOptions } from './SealOptions.js';

/** A storage-mode request, checked: which blob to seal, where to write it, and the seal options. */
export interface StorageSealRequest {
  readonly source: BlobLocation;
  /** Seal only this version of the source (`source.etag`). */
  readonly sourceEtag?: string;
  readonly destination: BlobLocation;
  /** Replace the destination when it exists. @default false */
  readonly overwrite: boolean;
  readonly options: SealRequestOptions;
}

const requestFields = ['source', 'destination', 'overwrite', ...sealOptionNames];

/**
 * Reads a storage-mode request from its JSON body:
 * `{ "source": { "container", "blob", "etag"? }, "destination": { "container", "blob" },
 * "overwrite"?: false, ...the options of direct mode }`.
 *
 * @throws InvalidRequestError, InvalidContainerNameError, InvalidBlobNameError
 */
export function readStorageSealRequest(
  fields: Readonly<Record<string, unknown>>,
): StorageSealRequest {
  if ('pdf' in fields) {
    throw new InvalidRequestError(
      'pdf',
      'a storage request names its source blob; send "pdf" or "source", not both',
    );
  }
  rejectUnknown(fields, requestFields, '');
  rejectUnknown(objectOrEmpty(fields.source), ['container', 'blob', 'etag'], 'source.');
  rejectUnknown(objectOrEmpty(fields.destination), ['container', 'blob'], 'destination.');

  const source = checkBlobLocation(fields.source, 'source');
  const destination = checkBlobLocation(fields.destination, 'destination');
  const etag = objectOrEmpty(fields.source).etag;
  if (
    etag !== undefined &&
    (typeof etag !== 'string' || !/^(W\/)?"?[\x21\x23-\x7e]{1,128}"?$/.test(etag))
  ) {
    throw new InvalidRequestError(
      'source.etag',
      'expected the ETag the blob has, for example "0x8DC0123456789AB"',
    );
  }
  const overwrite = fields.overwrite ?? false;
  if (typeof overwrite !== 'boolean')
    throw new InvalidRequestError('overwrite', 'expected true or false');
  return {
    source,
    ...(typeof etag === 'string' ? { sourceEtag: etag } : {}),
    destination,
    overwrite,
    options: parseSealOptions(fields),
  };
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function rejectUnknown(fields: object, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(fields).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new InvalidRequestError(
      `${prefix}${unknown.slice(0, 64)}`,
      `no such field; known: ${known.join(', ')}`,
    );
  }
}
