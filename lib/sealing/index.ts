export { ByteRangeHasher } from './ByteRangeHasher.js';
export { digestByteRanges, digestOriginalAndUpdate } from './digestByteRanges.js';
export { embedCms } from './embedCms.js';
export { DamagedPdfError } from './errors/DamagedPdfError.js';
export { DigestInputMismatchError } from './errors/DigestInputMismatchError.js';
export { EncryptedPdfError } from './errors/EncryptedPdfError.js';
export { InvalidSealOptionsError } from './errors/InvalidSealOptionsError.js';
export { NotAPdfError } from './errors/NotAPdfError.js';
export { SignatureTooLargeError } from './errors/SignatureTooLargeError.js';
export { UnsupportedPdfError } from './errors/UnsupportedPdfError.js';
export type { PdfSource } from './PdfSource.js';
export { bufferSource } from './PdfSource.js';
export { planIncrementalSeal } from './planIncrementalSeal.js';
export type { SealOptions, SealSubFilter } from './SealOptions.js';
export {
  defaultContentsCapacity,
  sealSubFilters,
  timestampedContentsCapacity,
} from './SealOptions.js';
export type { SealPlan, XrefKind } from './SealPlan.js';
