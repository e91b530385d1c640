/** A copy of `record` without `keys`: states are immutable, so a field is dropped by copying. */
export function omitFields<T extends object, K extends keyof T>(
  record: T,
  ...keys: K[]
): Omit<T, K> {
  const copy: Partial<T> = { ...record };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}
