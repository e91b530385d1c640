import type { HttpRequest } from '@azure/functions';

/**
 * The caller's address as App Service reports it: the first entry of `X-Forwarded-For`, without
 * its port. Undefined when the header is absent (a call that did not pass a front end).
 */
export function clientAddress(request: HttpRequest): string | undefined {
  const first = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  if (!first) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first);
  if (bracketed) return bracketed[1];
  // IPv4 with a port ("203.0.113.7:51234"); a bare IPv6 address has more than one colon.
  return first.split(':').length === 2 ? first.split(':')[0] : first;
}
