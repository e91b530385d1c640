/** A place in a query's text, 1-based, as editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** The line and column of the character at `offset` (0-based) in `text`. */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text[index] === '\n') {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `line 3, column 9`, for messages. */
export function describePosition(position: SourcePosition): string {
  return `line ${position.line}, column ${position.column}`;
}
