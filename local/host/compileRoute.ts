/**
 * Turns a Functions route template (`seal-pdf`, `items/{id}`, `files/{*path}`) into a matcher that
 * returns the route parameters, or undefined when the path does not match. Constraints such as
 * `{id:int}` are accepted and not checked.
 */
export function compileRoute(
  template: string,
): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\*?)([A-Za-z_][\w]*)(?::[^}]*)?\??\}$/.exec(segment);
      if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(parameter[2] ?? '');
      return parameter[1] ? '(.*)' : '([^/]+)';
    })
    .join('/');
  const regex = new RegExp(`^${pattern}$`, 'i');
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    return Object.fromEntries(
      names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
    );
  };
}
