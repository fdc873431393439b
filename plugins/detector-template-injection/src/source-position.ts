/** Line and column (1-based) of offsets in a template, for findings the AST cannot place. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

export class SourcePositions {
  private readonly lineStarts: number[] = [0];
  private readonly used = new Map<string, number>();

  constructor(private readonly source: string) {
    for (let index = source.indexOf("\n"); index >= 0; index = source.indexOf("\n", index + 1)) {
      this.lineStarts.push(index + 1);
    }
  }

  at(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { offset, line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }

  /**
   * The AST keeps no positions, so a finding is placed at the next occurrence of its most specific text
   * (the attribute name, the first literal piece) not already claimed by an earlier finding with that text.
   */
  find(needle: string | undefined): SourcePosition | undefined {
    if (!needle) return undefined;
    const from = this.used.get(needle) ?? 0;
    let offset = this.source.indexOf(needle, from);
    if (offset < 0 && from > 0) offset = this.source.indexOf(needle);
    if (offset < 0) return undefined;
    this.used.set(needle, offset + needle.length);
    return this.at(offset);
  }
}

export function describePosition(position: SourcePosition | undefined): string {
  return position ? `line ${position.line}, column ${position.column} of the template` : "an unknown position";
}
