import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import type { DetectionDefinition } from './DetectionDefinition.js';
import { DetectionDefinitionError } from './errors/DetectionDefinitionError.js';
import { parseDetectionMetadata } from './parseDetectionMetadata.js';

/** Options for {@link loadDetections}. */
export interface LoadDetectionsOptions {
  /**
   * The folder holding `<id>.kql` and `<id>.json` pairs.
   * @default the project's `kql/` folder, found from this module's location (`dist/lib/...`)
   */
  readonly directory?: string;
}

/** The project's `kql/` folder: three levels above this module once compiled to dist/lib/detections. */
export const defaultDetectionsDirectory = fileURLToPath(new URL('../../../kql/', import.meta.url));

/**
 * Reads every detection and hunting query in the detections folder, sorted by ID.
 *
 * All or nothing: a query without metadata, metadata without a query, invalid metadata or an
 * empty query throws {@link DetectionDefinitionError} naming the file, so a broken file is found
 * at start-up and in CI rather than by a detection that silently never runs. Loading does not
 * check the KQL itself; {@link checkDetection} does, with Microsoft's analyzer.
 */
export async function loadDetections(
  options: LoadDetectionsOptions = {},
): Promise<DetectionDefinition[]> {
  const { directory = defaultDetectionsDirectory } = options;
  const files = (await readdir(directory)).sort();
  const queryIds = idsWithExtension(files, '.kql');
  const metadataIds = idsWithExtension(files, '.json');

  for (const id of queryIds) {
    if (!metadataIds.includes(id)) {
      throw new DetectionDefinitionError(`${id}.kql`, [
        `it has no metadata file ${id}.json beside it`,
      ]);
    }
  }
  for (const id of metadataIds) {
    if (!queryIds.includes(id)) {
      throw new DetectionDefinitionError(`${id}.json`, [
        `it has no query file ${id}.kql beside it`,
      ]);
    }
  }

  const definitions: DetectionDefinition[] = [];
  for (const id of queryIds) {
    const metadataText = await readFile(join(directory, `${id}.json`), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(metadataText);
    } catch {
      throw new DetectionDefinitionError(`${id}.json`, ['it is not valid JSON']);
    }
    const parsed = parseDetectionMetadata(json, id);
    if ('problems' in parsed) throw new DetectionDefinitionError(`${id}.json`, parsed.problems);

    const query = await readFile(join(directory, `${id}.kql`), 'utf8');
    if (query.trim().length === 0) {
      throw new DetectionDefinitionError(`${id}.kql`, ['the query is empty']);
    }
    definitions.push({ ...parsed.metadata, query });
  }
  return definitions;
}

function idsWithExtension(files: readonly string[], extension: string): string[] {
  return files
    .filter((file) => file.endsWith(extension))
    .map((file) => file.slice(0, -extension.length));
}
