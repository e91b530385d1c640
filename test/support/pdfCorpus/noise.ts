import { createCipheriv } from 'node:crypto';

/**
 * `length` bytes that look random and do not compress, the same for the same `seed` and
 * `stream` every run: an AES-128-CTR keystream.
 */
export function noise(length: number, seed: number, stream: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0);
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(stream >>> 0);
  return createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(length));
}
