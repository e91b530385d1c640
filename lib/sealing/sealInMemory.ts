import type { DigestSignature, DigestSigner } from '../signing/DigestSigner.js';
import { digestOriginalAndUpdate } from './digestByteRanges.js';
import { embedCms } from './embedCms.js';
import { bufferSource } from './PdfSource.js';
import type { SealOptions } from './SealOptions.js';
import type { SealPlan } from './SealPlan.js';
import { planIncrementalSeal } from './planIncrementalSeal.js';

/** A sealed document held as two parts, so the original is never copied. */
export interface SealedDocument<Signature extends DigestSignature = DigestSignature> {
  /** The original bytes, then the completed update: write them in this order. */
  readonly parts: readonly [Uint8Array, Buffer];
  readonly plan: SealPlan;
  readonly signature: Signature;
}

/**
 * Seals a PDF that is in memory (direct mode): plans the incremental update, hashes the byte
 * ranges, has `signer` sign the digest, and embeds the CMS. Only the digest reaches the signer.
 */
export async function sealInMemory<Signature extends DigestSignature>(
  pdf: Uint8Array,
  signer: { sign: (...args: Parameters<DigestSigner['sign']>) => Promise<Signature> },
  options: SealOptions,
): Promise<SealedDocument<Signature>> {
  const plan = await planIncrementalSeal(bufferSource(pdf), options);
  const digest = digestOriginalAndUpdate(pdf, plan);
  const signature = await signer.sign(digest, { timestamp: options.timestamp ?? false });
  return { parts: [pdf, embedCms(plan, signature.cms)], plan, signature };
}
