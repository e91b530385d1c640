import { PdfBuilder } from './PdfBuilder.js';

/** What a hand-appended update writes. */
export interface HandUpdate {
  /** Objects, whole, by number (new numbers or numbers rewritten). */
  readonly objects: ReadonlyMap<number, string>;
  /** Trailer entries besides /Size and /Prev, such as `/Root 2 0 R /Info 12 0 R`. */
  readonly trailer: string;
  readonly size: number;
}

/**
 * `pdf` with a classic incremental update appended by hand (ISO 32000-1, 7.5.6): the objects, a
 * table listing them, and a trailer whose /Prev is the last `startxref` of `pdf`.
 */
export function appendUpdate(pdf: Uint8Array, update: HandUpdate): Buffer {
  const original = Buffer.from(pdf);
  const startxrefs = [...original.toString('latin1').matchAll(/startxref\s+(\d+)/g)];
  const prev = startxrefs.at(-1)?.[1];
  if (prev === undefined) throw new Error('the PDF has no startxref');
  const builder = new PdfBuilder(original.byteLength);
  if (original.at(-1) !== 0x0a) builder.write('\n');
  for (const [objectNumber, body] of update.objects) builder.object(objectNumber, body);
  const xref = builder.xrefTable([...update.objects.keys()]);
  builder.write(
    `trailer\n<< /Size ${update.size} ${update.trailer} /Prev ${prev} >>\n` +
      `startxref\n${xref}\n%%EOF\n`,
  );
  return Buffer.concat([original, builder.toBuffer()]);
}
