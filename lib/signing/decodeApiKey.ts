import { InvalidApiKeyFormatError } from './errors/InvalidApiKeyFormatError.js';

const evenLengthHex = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * The HMAC key bytes of a hex API key. Throws `InvalidApiKeyFormatError` (naming `keyId` only) for
 * anything but non-empty, even-length hex; `Buffer.from(hex, 'hex')` alone would silently drop
 * everything after the first bad character and sign with a shorter key.
 */
export function decodeApiKey(apiKeyHex: string, keyId: string): Buffer {
  if (!evenLengthHex.test(apiKeyHex)) throw new InvalidApiKeyFormatError(keyId);
  return Buffer.from(apiKeyHex, 'hex');
}
