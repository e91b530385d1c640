import type { TelemetryRow } from '../../lib/detections/evaluateKql.js';

/**
 * `count` rows of the App Service HTTP log for requests to seal-pdf refused with 401 from
 * `address`, one every 10 s up to `end`: the shape of a burst of bad function keys.
 */
export function refusedRequestRows(address: string, count: number, end: Date): TelemetryRow[] {
  return Array.from({ length: count }, (_, index) => ({
    TimeGenerated: new Date(end.getTime() - index * 10_000).toISOString(),
    CsMethod: 'POST',
    CsUriStem: '/api/seal-pdf',
    CsUriQuery: '',
    ScStatus: 401,
    CIp: address,
    UserAgent: 'curl/8.5.0',
    CsHost: 'sealops.example',
    TimeTaken: 3,
    _ResourceId: 'local/sealops',
  }));
}
