import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildHybridPdf } from './pdfCorpus/buildHybridPdf.js';
import { appendIncrementalUpdate, appendIndirectArrays } from './pdfCorpus/handUpdates.js';
import { qpdf, qpdfAvailable } from './pdfCorpus/qpdf.js';
import { makeBaseDocument, makeFormDocument, pageCount } from './pdfCorpus/sampleDocuments.js';

export type { LargePdf } from './pdfCorpus/writeLargePdf.js';
export { writeLargePdf } from './pdfCorpus/writeLargePdf.js';
export { qpdf, qpdfAvailable };

/** The file structure a corpus entry exercises. */
export type PdfStructure =
  | 'classic'
  | 'xref-stream'
  | 'hybrid'
  | 'linearized'
  | 'incremental'
  | 'acroform'
  | 'junk-prefix'
  | 'encrypted';

/** One file of the corpus. */
export interface CorpusEntry {
  readonly name: string;
  readonly path: string;
  readonly structure: PdfStructure;
  /** How the newest xref section is written, so which kind an update must write. */
  readonly xref: 'table' | 'hybrid' | 'stream';
  readonly pages: number;
  /** Top-level field names already in the AcroForm. */
  readonly fieldNames: readonly string[];
  readonly description: string;
}

/** The corpus in a temporary directory; call {@link PdfCorpus.remove} when done. */
export interface PdfCorpus {
  readonly directory: string;
  readonly entries: readonly CorpusEntry[];
  /** Entries that could not be made, and why (qpdf missing). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /** The entry named `name`; throws if it was not made. */
  get(name: string): CorpusEntry;
  remove(): Promise<void>;
}

type Recipe = Omit<CorpusEntry, 'path' | 'pages' | 'fieldNames'> & {
  readonly pages?: number;
  readonly fieldNames?: readonly string[];
} & (
    | { readonly make: (samples: Samples) => Uint8Array }
    /** Made by qpdf from the classic entry. */
    | { readonly qpdfArgs: readonly string[] }
  );

interface Samples {
  readonly classic: Uint8Array;
  readonly xrefStream: Uint8Array;
  readonly form: Uint8Array;
  readonly incremental: Uint8Array;
  readonly indirectArrays: Uint8Array;
}

const recipes: readonly Recipe[] = [
  {
    name: 'classic',
    structure: 'classic',
    xref: 'table',
    description: 'pdf-lib, classic xref table, one revision; no end of line after %%EOF',
    make: (samples) => samples.classic,
  },
  {
    name: 'xref-stream-pdf-lib',
    structure: 'xref-stream',
    xref: 'stream',
    description: 'pdf-lib default: xref stream and object streams',
    make: (samples) => samples.xrefStream,
  },
  {
    name: 'xref-stream-qpdf',
    structure: 'xref-stream',
    xref: 'stream',
    description: 'qpdf --object-streams=generate: xref stream, catalog in an object stream',
    qpdfArgs: ['--object-streams=generate'],
  },
  {
    name: 'hybrid',
    structure: 'hybrid',
    xref: 'hybrid',
    pages: 2,
    description: 'hand-made hybrid-reference file: catalog and pages found through /XRefStm',
    make: () => buildHybridPdf(),
  },
  {
    name: 'linearized',
    structure: 'linearized',
    xref: 'table',
    description: 'qpdf --linearize: first-page xref table, then the main one',
    qpdfArgs: ['--linearize'],
  },
  {
    name: 'linearized-xref-stream',
    structure: 'linearized',
    xref: 'stream',
    description: 'qpdf --linearize with object streams: two xref streams',
    qpdfArgs: ['--linearize', '--object-streams=generate'],
  },
  {
    name: 'incremental',
    structure: 'incremental',
    xref: 'table',
    description: 'classic file plus a hand-appended update (new Info, catalog rewritten)',
    make: (samples) => samples.incremental,
  },
  {
    name: 'junk-prefix',
    structure: 'junk-prefix',
    xref: 'table',
    description: '512 junk bytes before %PDF-; xref offsets count from the header',
    make: (samples) => Buffer.concat([Buffer.alloc(512, '#junk\n'), samples.classic]),
  },
  {
    name: 'acroform',
    structure: 'acroform',
    xref: 'table',
    fieldNames: ['Name'],
    description: 'indirect AcroForm with a text field named Name; direct /Fields and /Annots',
    make: (samples) => samples.form,
  },
  {
    name: 'acroform-indirect-arrays',
    structure: 'acroform',
    xref: 'table',
    fieldNames: ['Name'],
    description: 'the acroform file plus an update making /Fields and /Annots indirect arrays',
    make: (samples) => samples.indirectArrays,
  },
  {
    name: 'encrypted',
    structure: 'encrypted',
    xref: 'table',
    description: 'qpdf --encrypt "" owner 256: AES-256, empty user password',
    // qpdf's testing options fix the ID and the AES IVs; the file key is still random.
    qpdfArgs: ['--static-id', '--static-aes-iv', '--encrypt', '', 'owner', '256', '--'],
  },
];

/**
 * Makes the sealing corpus in a new temporary directory: small (three pages at most) and the
 * same bytes every run, except the encrypted entry, whose file key qpdf draws at random. Entries
 * made with qpdf are left out, and listed in `skipped`, when qpdf is not installed.
 */
export async function makePdfCorpus(): Promise<PdfCorpus> {
  const directory = await mkdtemp(join(tmpdir(), 'sealops-corpus-'));
  const samples = await makeSamples();
  const withQpdf = await qpdfAvailable();
  const entries: CorpusEntry[] = [];
  const skipped: { name: string; reason: string }[] = [];

  // The classic entry comes first: the qpdf entries are made from it.
  for (const { pages = pageCount, fieldNames = [], ...recipe } of recipes) {
    const path = join(directory, `${recipe.name}.pdf`);
    if ('make' in recipe) {
      await writeFile(path, recipe.make(samples));
    } else if (withQpdf) {
      const deterministic = recipe.structure === 'encrypted' ? [] : ['--deterministic-id'];
      await qpdf([...deterministic, ...recipe.qpdfArgs, join(directory, 'classic.pdf'), path]);
    } else {
      skipped.push({ name: recipe.name, reason: 'qpdf is not installed' });
      continue;
    }
    const { name, structure, xref, description } = recipe;
    entries.push({ name, path, structure, xref, pages, fieldNames, description });
  }

  return {
    directory,
    entries,
    skipped,
    get(name) {
      const entry = entries.find((candidate) => candidate.name === name);
      if (!entry) throw new Error(`the corpus has no entry "${name}"`);
      return entry;
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

async function makeSamples(): Promise<Samples> {
  const base = await makeBaseDocument();
  const classic = await base.save({ useObjectStreams: false });
  const incremental = appendIncrementalUpdate(base, classic);
  const xrefStream = await base.save();
  const formDocument = await makeFormDocument();
  const form = await formDocument.save({ useObjectStreams: false });
  const indirectArrays = appendIndirectArrays(formDocument, form);
  return { classic, xrefStream, form, incremental, indirectArrays };
}
