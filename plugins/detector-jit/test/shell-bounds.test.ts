import { expect, it } from "vitest";
import { analyzeShell, MAX_COMMAND_CHARS } from "../src/shell/analyze-shell.js";

function hostile(length: number): Record<string, string> {
  return {
    assign: `a=${"a=".repeat(length / 2)}`,
    sudo: `sudo ${"-x ".repeat(length / 3)}`,
    curlSpaces: `curl ${"x ".repeat(length / 2 - 4)}`,
    curlAnd: `curl ${"&& ".repeat(length / 3 - 3)}chmod`,
    rm: `rm ${"-r ".repeat(length / 3 - 2)}`,
    bashQuotes: `bash -c ${"'".repeat(length - 8)}`,
    nc: `nc ${"-e ".repeat(length / 3 - 2)}`,
    base64: `echo ${"| base64 -d ".repeat(length / 12 - 1)}`,
    python: `python ${"-c ".repeat(length / 3 - 3)}`,
  };
}

it.each([256, 1024, MAX_COMMAND_CHARS])("judges hostile command lines of %i characters in bounded time", (length) => {
  for (const [name, text] of Object.entries(hostile(length))) {
    const started = performance.now();
    analyzeShell(text);
    const elapsed = performance.now() - started;
    // Catches quadratic backtracking (seconds), loose enough for a loaded CI machine.
    expect(elapsed, `${name} ${length}`).toBeLessThan(2000);
  }
});
