/** Maps character offsets in a text to 1-based line and column, with one pass over the text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) {
      this.starts.push(index + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }
}

export function describePosition(position: { line: number; column: number } | undefined): string {
  return position ? `line ${position.line}, column ${position.column}` : "an unknown position";
}
