import { BadParameterError } from './errors/BadParameterError.js';

/** One page of a list answer, as the service sends it. */
export interface WirePage<T> {
  readonly value: readonly T[];
  /** Absolute URL of the next page on this vault, or `null` on the last page. */
  readonly nextLink: string | null;
}

/** Where the page is read from: the request's query and the URL the next page lives at. */
export interface PageRequest {
  readonly query: URLSearchParams;
  /** `origin + pathname` of the list request. */
  readonly listUrl: string;
  /** Written into `nextLink`, so that the SDK's follow-up request carries it. */
  readonly apiVersion: string;
}

const MAX_RESULTS = 25;

/**
 * Cuts one page out of `items` as Key Vault pages: `maxresults` (1–25, default 25) items per page,
 * `$skiptoken` to continue, and an absolute `nextLink` that points back to this vault and carries
 * api-version, because the SDK fetches it verbatim.
 *
 * NOTE: the skip token is an offset into the list as it is at the time of the next request;
 * secrets added or removed between pages shift it, which the service's tokens do not.
 */
export function readPage<T>(items: readonly T[], request: PageRequest): WirePage<T> {
  const pageSize = readMaxResults(request.query.get('maxresults'));
  const offset = readSkipToken(request.query.get('$skiptoken'));
  const end = offset + pageSize;

  if (end >= items.length) {
    return { value: items.slice(offset), nextLink: null };
  }

  const next = new URLSearchParams({ 'api-version': request.apiVersion });
  const token = Buffer.from(`offset:${end}`).toString('base64url');
  // `$skiptoken` spelled literally, as the service spells it (URLSearchParams would write %24).
  const nextLink =
    `${request.listUrl}?${next.toString()}&$skiptoken=${token}` +
    (request.query.has('maxresults') ? `&maxresults=${pageSize}` : '');
  return { value: items.slice(offset, end), nextLink };
}

function readMaxResults(raw: string | null): number {
  if (raw === null) {
    return MAX_RESULTS;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_RESULTS) {
    throw new BadParameterError('maxresults', `an integer from 1 to ${MAX_RESULTS}`);
  }
  return value;
}

function readSkipToken(raw: string | null): number {
  if (raw === null) {
    return 0;
  }
  const match = /^offset:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (match?.[1] === undefined) {
    throw new BadParameterError('$skiptoken', 'a token from a nextLink of this vault');
  }
  return Number(match[1]);
}
