import type { XrefKind } from './tail/PdfTail.js';

export type { XrefKind };

/**
 * An incremental update ready to be hashed and, once the CMS is back, completed: the sealed
 * document is the untouched original followed by {@link SealPlan.update}.
 */
export interface SealPlan {
  /**
   * The bytes to append after the original: the new objects, the new xref section, `startxref`
   * and `%%EOF`. `/ByteRange` is filled in; `/Contents` holds zeros until {@link embedCms}.
   */
  readonly update: Buffer;
  /** Size of the original in bytes; the update starts at this offset. */
  readonly originalSize: number;
  /** Size of the sealed document: `originalSize + update.length`. */
  readonly totalSize: number;
  /**
   * `[0, contentsStart, contentsEnd, totalSize - contentsEnd]` in offsets of the sealed document.
   * The gap is exactly the `/Contents` hex string, its `<` and `>` included; everything else is
   * signed.
   */
  readonly byteRange: readonly [number, number, number, number];
  /** CMS bytes `/Contents` can hold. */
  readonly contentsPlaceholderBytes: number;
  /** Name of the new signature field, after any suffix that made it unique. */
  readonly fieldName: string;
  /**
   * How the original's newest xref section is written. The update's own section is a classic
   * table after `table` and `hybrid`, an xref stream after `stream`.
   */
  readonly sourceXref: XrefKind;
}
