/** Where a blob lives: a container and a blob name within it, both already checked. */
export interface BlobLocation {
  readonly container: string;
  readonly blob: string;
}

/** `container/blob`, as people write a blob's place; for messages and logs. */
export function describeLocation(location: BlobLocation): string {
  return `${location.container}/${location.blob}`;
}

/** Whether two locations name the same blob. */
export function sameLocation(a: BlobLocation, b: BlobLocation): boolean {
  return a.container === b.container && a.blob === b.blob;
}
