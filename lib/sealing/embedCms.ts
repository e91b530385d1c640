import { SignatureTooLargeError } from './errors/SignatureTooLargeError.js';
import type { SealPlan } from './SealPlan.js';

/**
 * The plan's update with `cms` written into the `/Contents` placeholder as hex, zero-padded to
 * the reserved width. Returns a new buffer; the plan is left as it was, so a failed signing call
 * can be retried with the same plan.
 *
 * @param cms DER-encoded CMS SignedData (detached)
 * @throws SignatureTooLargeError when `cms` is larger than the reservation
 */
export function embedCms(plan: SealPlan, cms: Uint8Array): Buffer {
  if (cms.byteLength > plan.contentsPlaceholderBytes) {
    throw new SignatureTooLargeError(cms.byteLength, plan.contentsPlaceholderBytes);
  }
  const update = Buffer.from(plan.update);
  // Just after the `<` that opens the hex string.
  const hexStart = plan.byteRange[1] - plan.originalSize + 1;
  update.write(Buffer.from(cms).toString('hex').toUpperCase(), hexStart, 'latin1');
  return update;
}
