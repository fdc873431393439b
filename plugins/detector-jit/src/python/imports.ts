/** A leaf token of an import statement as lezer names it (`import`, `from`, `as`, `VariableName`, `.`, `*`, `,`). */
export interface ImportToken {
  name: string;
  text: string;
}

/** What an import statement binds and which module it brings in. */
export interface ImportBinding {
  /** The local name bound, or null for `from m import *`. */
  local: string | null;
  /** The dotted name the local refers to (`subprocess.Popen`), null for relative imports. */
  target: string | null;
  /** The module imported (`subprocess`, `urllib.request`), null for relative imports. */
  module: string | null;
  /** The member imported by `from m import name`. */
  member?: string;
  star: boolean;
}

/** Reads `import a.b as c, d` and `from .x.y import (a as b, c)` from the statement's tokens. */
export function parseImport(tokens: readonly ImportToken[]): ImportBinding[] {
  const bindings: ImportBinding[] = [];
  const first = tokens[0]?.name;
  if (first === "import") {
    let dotted: string[] = [];
    let alias: string | null = null;
    let expectAlias = false;
    const flush = () => {
      if (dotted.length === 0) return;
      const module = dotted.join(".");
      bindings.push({
        local: alias ?? (dotted[0] as string),
        target: alias ? module : (dotted[0] as string),
        module,
        star: false,
      });
      dotted = [];
      alias = null;
    };
    for (const token of tokens.slice(1)) {
      if (token.name === "VariableName") {
        if (expectAlias) alias = token.text;
        else dotted.push(token.text);
        expectAlias = false;
      } else if (token.name === "as") expectAlias = true;
      else if (token.name === ",") flush();
    }
    flush();
    return bindings;
  }
  if (first !== "from") return bindings;
  let index = 1;
  let relative = false;
  const moduleParts: string[] = [];
  for (; index < tokens.length && tokens[index]?.name !== "import"; index++) {
    const token = tokens[index] as ImportToken;
    if (token.name === "VariableName") moduleParts.push(token.text);
    else if (token.name === "." && moduleParts.length === 0) relative = true;
    else if (token.name === "Ellipsis" || token.text.startsWith(".")) relative = relative || moduleParts.length === 0;
  }
  const module = relative ? null : moduleParts.join(".") || null;
  let member: string | null = null;
  let alias: string | null = null;
  let expectAlias = false;
  const flush = () => {
    if (member === null) return;
    bindings.push({
      local: alias ?? member,
      target: module ? `${module}.${member}` : null,
      module,
      member,
      star: false,
    });
    member = null;
    alias = null;
  };
  for (const token of tokens.slice(index + 1)) {
    if (token.name === "*") bindings.push({ local: null, target: null, module, star: true });
    else if (token.name === "VariableName") {
      if (expectAlias) alias = token.text;
      else member = token.text;
      expectAlias = false;
    } else if (token.name === "as") expectAlias = true;
    else if (token.name === ",") flush();
  }
  flush();
  return bindings;
}
