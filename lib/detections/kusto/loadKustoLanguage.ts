/// <reference types="@kusto/language-service-next" />
import { createRequire } from 'node:module';

/** The `Kusto.Language` namespace of Microsoft's Kusto.Language, as the Bridge.NET build defines it. */
export type KustoLanguage = typeof Kusto.Language;

let loaded: KustoLanguage | undefined;

/**
 * Loads Microsoft's Kusto.Language (the Bridge.NET build in `@kusto/language-service-next`) once
 * per process and returns its `Kusto.Language` namespace.
 *
 * The first call costs about half a second and 170 MB of memory, so nothing loads it at import
 * time: only checking and evaluating queries need it, never the production path that sends a
 * query to Log Analytics. The package is a development dependency for that reason.
 */
export function loadKustoLanguage(): KustoLanguage {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  // The two scripts define the globals `Bridge`, `System` and `Kusto`; they export nothing.
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  loaded = Kusto.Language;
  return loaded;
}
