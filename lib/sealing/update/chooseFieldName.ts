/**
 * `requested`, or the first free name after it: trailing digits count up (`Seal1` → `Seal2`),
 * and a name without them gets `2`, `3`, ... appended.
 */
export function chooseFieldName(requested: string, taken: ReadonlySet<string>): string {
  if (!taken.has(requested)) return requested;
  const [, stem = requested, digits = ''] = /^(.*?)(\d*)$/.exec(requested) ?? [];
  for (let number = digits === '' ? 2 : Number(digits) + 1; ; number += 1) {
    const candidate = `${stem}${number}`;
    if (!taken.has(candidate)) return candidate;
  }
}
