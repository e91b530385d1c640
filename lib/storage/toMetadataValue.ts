/**
 * Makes text safe as a blob metadata value, which travels as an HTTP header and must be ASCII:
 * anything else, and `%` itself, is percent-encoded (`decodeURIComponent` gives the text back),
 * and the result is cut to `maxLength`.
 */
export function toMetadataValue(text: string, maxLength = 1024): string {
  const encoded = text.replace(/[^\x20-\x7e]|%/g, (character) => encodeURIComponent(character));
  return encoded.slice(0, maxLength);
}

/** An ETag without its quotes and weak prefix, for comparing and for metadata. */
export function bareEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
