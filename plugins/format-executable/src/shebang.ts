/** A `#!` interpreter line at the very start of a source: a script a user may be led to run. */
export interface ShebangMatch {
  interpreter: string;
}

const MAX_LINE = 256;
const PATH_CHARACTER = /[A-Za-z0-9_./+-]/;

export function describeShebang(head: Uint8Array): ShebangMatch | null {
  if (head[0] !== 0x23 || head[1] !== 0x21) return null;
  let position = 2;
  while (head[position] === 0x20 || head[position] === 0x09) position++;
  if (head[position] !== 0x2f) return null;
  let line = "";
  for (; position < head.length && position < MAX_LINE; position++) {
    const byte = head[position] as number;
    if (byte === 0x0a || byte === 0x0d) break;
    if (byte !== 0x09 && (byte < 0x20 || byte > 0x7e)) return null;
    line += String.fromCharCode(byte);
  }
  if (position >= MAX_LINE) return null;
  const [program = "", argument] = line.trim().split(/[ \t]+/);
  if (![...program].every((character) => PATH_CHARACTER.test(character))) return null;
  const base = program.slice(program.lastIndexOf("/") + 1);
  if (base === "") return null;
  return { interpreter: base === "env" && argument ? argument : base };
}
