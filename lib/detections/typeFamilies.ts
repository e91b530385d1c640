/** Kusto scalar types grouped by what can be compared without a conversion. */
export type TypeFamily =
  'number' | 'string' | 'bool' | 'datetime' | 'timespan' | 'dynamic' | 'guid';

/** The family of a Kusto type name, or undefined for tables and types this project never meets. */
export function typeFamilyOf(typeName: string): TypeFamily | undefined {
  switch (typeName) {
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return 'number';
    case 'string':
    case 'bool':
    case 'datetime':
    case 'timespan':
    case 'dynamic':
    case 'guid':
      return typeName;
    default:
      return undefined;
  }
}
