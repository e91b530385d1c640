type SyntaxList<T> = Kusto.Language.Syntax.SyntaxList$1<T>;
type Separated<T> = Kusto.Language.Syntax.SeparatedElement$1<T>;

/** The items of a .NET read-only list from Kusto.Language, as a JavaScript array. */
export function itemsOf<T>(list: System.Collections.Generic.IReadOnlyList$1<T> | null): T[] {
  const items: T[] = [];
  if (list === null) return items;
  for (let index = 0; index < list.Count; index++) items.push(list.getItem(index));
  return items;
}

/** The nodes of a syntax list (for example an operator's named parameters). */
export function nodesOf<T>(list: SyntaxList<T> | null): T[] {
  const nodes: T[] = [];
  if (list === null) return nodes;
  for (let index = 0; index < list.Count; index++) nodes.push(list.getItem$1(index));
  return nodes;
}

/** The elements of a comma-separated syntax list (`a, b, c`), without the separators. */
export function elementsOf<T>(list: SyntaxList<Separated<T>> | null): NonNullable<T>[] {
  return nodesOf(list)
    .map((separated) => separated.Element$1)
    .filter((element): element is NonNullable<T> => element !== null);
}
