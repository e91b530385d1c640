/**
 * The body of one `POST /v1/sign`, serialised once: these exact bytes are both HMAC-signed and sent.
 * `tsaTimestamp` is written only when a timestamp is wanted, as the reference client does.
 */
export function serialiseSignRequest(digest: Uint8Array, timestamp: boolean): Uint8Array {
  const body: Record<string, unknown> = {
    digestAlgorithm: 'SHA256',
    digest: Buffer.from(digest).toString('base64'),
  };
  if (timestamp) body.tsaTimestamp = true;
  return Buffer.from(JSON.stringify(body), 'utf8');
}
