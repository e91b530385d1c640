import type { PDFDict } from 'pdf-lib';

/** Where one object is, as a cross-reference entry says (ISO 32000-1, 7.5.4 and 7.5.8.3). */
export type XrefEntry =
  | { readonly kind: 'free' }
  | { readonly kind: 'offset'; readonly offset: number; readonly generation: number }
  | { readonly kind: 'compressed'; readonly streamNumber: number; readonly index: number };

/**
 * Consecutive entries from object number `first`, in columns rather than objects: a file with a
 * million objects costs 13 bytes per entry here, not a hundred.
 */
export interface XrefSubsection {
  readonly first: number;
  readonly count: number;
  /** 0 free, 1 at an offset, 2 in an object stream; anything else counts as free. */
  readonly types: Uint8Array;
  /** The offset, or the number of the object stream. */
  readonly locations: Float64Array;
  /** The generation, or the index in the object stream. */
  readonly numbers: Uint32Array;
}

/** One cross-reference section: a classic table or an xref stream, with its trailer. */
export interface XrefSection {
  readonly kind: 'table' | 'stream';
  /** Where the section starts in the file, relative to the `%PDF-` header. */
  readonly offset: number;
  /** The trailer dictionary, or the xref stream's dictionary. */
  readonly trailer: PDFDict;
  readonly subsections: readonly XrefSubsection[];
  /** For a table in a hybrid-reference file, the xref stream its `/XRefStm` names. */
  readonly hybridStream?: XrefSection;
}

/** The entry a section holds for `objectNumber`, if it holds one. */
export function findXrefEntry(section: XrefSection, objectNumber: number): XrefEntry | undefined {
  for (const subsection of section.subsections) {
    const index = objectNumber - subsection.first;
    if (index < 0 || index >= subsection.count) continue;
    const type = subsection.types[index];
    const location = subsection.locations[index] ?? 0;
    const number = subsection.numbers[index] ?? 0;
    if (type === 1) return { kind: 'offset', offset: location, generation: number };
    if (type === 2) return { kind: 'compressed', streamNumber: location, index: number };
    return { kind: 'free' };
  }
  return undefined;
}
