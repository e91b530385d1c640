import type { DigestSignature, DigestSigner } from '../signing/DigestSigner.js';
import { ByteRangeHasher } from './ByteRangeHasher.js';
import { embedCms } from './embedCms.js';
import { chunkSource } from './PdfSource.js';
import type { SealOptions } from './SealOptions.js';
import type { SealPlan } from './SealPlan.js';
import { planIncrementalSeal } from './planIncrementalSeal.js';

/** A sealed document held in parts, so the original is never copied. */
export interface SealedDocument<Signature extends DigestSignature = DigestSignature> {
  /** The original's chunks, then the completed update: write them in this order. */
  readonly parts: readonly Uint8Array[];
  readonly plan: SealPlan;
  readonly signature: Signature;
}

/**
 * Seals a PDF that is in memory (direct mode): plans the incremental update, hashes the byte
 * ranges, has `signer` sign the digest, and embeds the CMS. Only the digest reaches the signer.
 *
 * `pdf` may be the chunks the document arrived in; they are never joined. `hashedOriginal`, when
 * given, has already been fed exactly those bytes (hashed while the request body arrived), so the
 * document is not read a second time.
 */
export async function sealInMemory<Signature extends DigestSignature>(
  pdf: Uint8Array | readonly Uint8Array[],
  signer: { sign: (...args: Parameters<DigestSigner['sign']>) => Promise<Signature> },
  options: SealOptions,
  hashedOriginal?: ByteRangeHasher,
): Promise<SealedDocument<Signature>> {
  const chunks = pdf instanceof Uint8Array ? [pdf] : pdf;
  const plan = await planIncrementalSeal(chunkSource(chunks), options);
  const hasher = hashedOriginal ?? new ByteRangeHasher();
  if (!hashedOriginal) for (const chunk of chunks) hasher.update(chunk);
  hasher.withPlan(plan).update(plan.update);
  const digest = hasher.digest();
  const signature = await signer.sign(digest, { timestamp: options.timestamp ?? false });
  return { parts: [...chunks, embedCms(plan, signature.cms)], plan, signature };
}
