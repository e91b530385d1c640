import { createHmac } from 'node:crypto';

import { decodeApiKey } from './decodeApiKey.js';

/** The four headers that authenticate one request to the signing API. */
export interface AuthorizationHeaders {
  readonly 'X-Authorization-Algorithm': 'HmacSHA256';
  /** The request time, `YYYY-MM-DDTHH:MM:SS.sssZ`; the service allows one minute of skew. */
  readonly 'X-Authorization-Time': string;
  /** The API key ID; never the key. */
  readonly 'X-Authorization-Key': string;
  /** Base64 of HMAC-SHA256(hex-decoded API key, body bytes || time string). */
  readonly 'X-Authorization': string;
}

/**
 * Signs one request body. `body` must be the exact bytes sent on the wire: the HMAC covers the raw
 * body followed by the time string, not a hash of the body, so serialising the JSON again before
 * sending would break it. Throws `InvalidApiKeyFormatError` when `apiKeyHex` is not even-length hex.
 */
export function authorizationHeaders(
  body: Uint8Array,
  apiKeyHex: string,
  keyId: string,
  time: Date,
): AuthorizationHeaders {
  const key = decodeApiKey(apiKeyHex, keyId);
  const timeString = time.toISOString();
  const mac = createHmac('sha256', key).update(body).update(timeString, 'utf8').digest('base64');
  return {
    'X-Authorization-Algorithm': 'HmacSHA256',
    'X-Authorization-Time': timeString,
    'X-Authorization-Key': keyId,
    'X-Authorization': mac,
  };
}
