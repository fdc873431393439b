import type { CodeObject, MarshalValue } from "./marshal-reader.js";
import { OPCODE_TABLES, type OpcodeTable } from "./opcode-tables.js";

/** Bounds on what a summary carries, so a hostile code object cannot blow up a fact. */
const MAX_NAMES = 2000;
const MAX_NAME_LENGTH = 4096;
const MAX_DISASSEMBLY_LINES = 2000;
const MAX_REPR = 200;

/** Opcode tables that can apply to each code layout (the layout alone cannot tell 3.11 from 3.12). */
const CANDIDATES: Record<CodeObject["layout"], readonly string[]> = {
  "3.11+": ["3.11", "3.12", "3.13"],
  "3.8-3.10": ["3.8", "3.9", "3.10"],
  "3.0-3.7": [],
};

/** Every code object, depth first: the function and the functions nested in its constants. */
export function codeObjects(root: CodeObject): CodeObject[] {
  const found: CodeObject[] = [];
  const visit = (code: CodeObject) => {
    found.push(code);
    const walk = (value: MarshalValue) => {
      if (value.kind === "code") visit(value.code);
      else if (value.kind === "tuple" || value.kind === "list" || value.kind === "set" || value.kind === "frozenset") {
        for (const item of value.items) walk(item);
      }
    };
    for (const constant of code.consts) walk(constant);
  };
  visit(root);
  return found;
}

/** Strings a constant holds, including inside tuples and frozensets. */
function stringConstants(value: MarshalValue, into: string[]): void {
  if (value.kind === "str") into.push(value.value);
  else if (value.kind === "tuple" || value.kind === "list" || value.kind === "set" || value.kind === "frozenset") {
    for (const item of value.items) stringConstants(item, into);
  } else if (value.kind === "dict") {
    for (const [key, item] of value.entries) {
      stringConstants(key, into);
      stringConstants(item, into);
    }
  }
}

/**
 * `names` for the code fact: co_names, co_varnames (locals plus names), free and cell variables,
 * string constants, and the same for every nested code object, plus their names.
 */
export function collectNames(root: CodeObject): string[] {
  const names = new Set<string>();
  const add = (name: string) => {
    if (names.size < MAX_NAMES) names.add(name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name);
  };
  for (const code of codeObjects(root)) {
    for (const name of code.names) add(name);
    for (const name of code.varnames) add(name);
    for (const name of code.freevars) add(name);
    for (const name of code.cellvars) add(name);
    const strings: string[] = [];
    for (const constant of code.consts) stringConstants(constant, strings);
    for (const text of strings) add(text);
    if (code !== root) add(code.name);
  }
  return [...names];
}

/** A short Python-like rendering of a constant. */
export function reprValue(value: MarshalValue, depth = 0): string {
  const text = reprInner(value, depth);
  return text.length > MAX_REPR ? `${text.slice(0, MAX_REPR)}…` : text;
}

function reprInner(value: MarshalValue, depth: number): string {
  if (depth > 8) return "…";
  switch (value.kind) {
    case "none":
      return "None";
    case "null":
      return "<NULL>";
    case "ellipsis":
      return "Ellipsis";
    case "stop-iteration":
      return "StopIteration";
    case "bool":
      return value.value ? "True" : "False";
    case "int":
      return value.value.toString();
    case "float":
      return Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value);
    case "complex":
      return `(${value.real}+${value.imag}j)`;
    case "bytes":
      return `b${JSON.stringify(new TextDecoder("latin1").decode(value.value.subarray(0, MAX_REPR)))}`;
    case "str":
      return JSON.stringify(value.value.slice(0, MAX_REPR));
    case "tuple":
    case "list":
    case "set":
    case "frozenset": {
      const items = value.items.slice(0, 20).map((item) => reprInner(item, depth + 1));
      if (value.items.length > 20) items.push("…");
      const inner = items.join(", ");
      if (value.kind === "tuple") return value.items.length === 1 ? `(${inner},)` : `(${inner})`;
      if (value.kind === "list") return `[${inner}]`;
      return value.kind === "set" ? `{${inner}}` : `frozenset({${inner}})`;
    }
    case "dict":
      return `{${value.entries
        .slice(0, 20)
        .map(([key, item]) => `${reprInner(key, depth + 1)}: ${reprInner(item, depth + 1)}`)
        .join(", ")}}`;
    case "slice":
      return `slice(${reprInner(value.start, depth + 1)}, ${reprInner(value.stop, depth + 1)}, ${reprInner(value.step, depth + 1)})`;
    case "code":
      return `<code object ${value.code.name}>`;
  }
}

interface Instruction {
  offset: number;
  opcode: number;
  arg: number | null;
}

/** Walks code units with a table; counts opcodes the table does not define and CACHE slots that are not zero. */
function decode(code: Uint8Array, table: OpcodeTable): { instructions: Instruction[]; invalid: number } {
  const instructions: Instruction[] = [];
  let invalid = 0;
  let extended = 0;
  const extendedArg = table.names.indexOf("EXTENDED_ARG");
  for (let offset = 0; offset + 1 < code.length; ) {
    const opcode = code[offset]!;
    const raw = code[offset + 1]!;
    const name = table.names[opcode] ?? "";
    if (name === "" || name === "CACHE") invalid++;
    const hasArgument = opcode >= table.haveArgument;
    const arg = hasArgument ? (extended << 8) | raw : null;
    extended = opcode === extendedArg ? (arg ?? 0) : 0;
    if (opcode !== extendedArg) instructions.push({ offset, opcode, arg });
    offset += 2;
    const caches = table.cache.get(opcode) ?? 0;
    for (let index = 0; index < caches && offset + 1 < code.length; index++, offset += 2) {
      if (code[offset] !== 0) invalid++;
    }
  }
  if (code.length % 2 !== 0) invalid++;
  return { instructions, invalid };
}

/** The opcode table that decodes the bytecode most cleanly, among those the layout allows. */
export function pickOpcodeTable(code: CodeObject): { table: OpcodeTable; invalid: number } | null {
  let best: { table: OpcodeTable; invalid: number } | null = null;
  for (const version of CANDIDATES[code.layout]) {
    const table = OPCODE_TABLES.find((candidate) => candidate.version === version);
    if (!table) continue;
    const { invalid } = decode(code.code, table);
    // Later versions win ties: their tables are supersets for the opcodes lambdas use.
    if (!best || invalid <= best.invalid) best = { table, invalid };
  }
  return best;
}

function resolveArgument(code: CodeObject, table: OpcodeTable, instruction: Instruction): string {
  const { opcode, arg } = instruction;
  if (arg === null) return "";
  const name = table.names[opcode] ?? "";
  const modern = table.version !== "3.8" && table.version !== "3.9" && table.version !== "3.10";
  if (table.hasName.has(opcode)) {
    let index = arg;
    if (modern && name === "LOAD_GLOBAL") index = arg >> 1;
    else if (table.version !== "3.11" && modern && name === "LOAD_ATTR") index = arg >> 1;
    else if (name === "LOAD_SUPER_ATTR") index = arg >> 2;
    const resolved = code.names[index];
    return resolved === undefined ? `${arg}` : `${arg} (${resolved})`;
  }
  if (table.hasConst.has(opcode)) {
    const constant = code.consts[arg];
    return constant === undefined ? `${arg}` : `${arg} (${reprValue(constant)})`;
  }
  if (table.hasLocal.has(opcode)) {
    const local = code.varnames[arg];
    return local === undefined ? `${arg}` : `${arg} (${local})`;
  }
  return `${arg}`;
}

/** Disassembly lines for one code object, or a note saying why there is none. */
function disassemble(code: CodeObject, budget: { lines: number }): string[] {
  const picked = pickOpcodeTable(code);
  if (!picked) return ["    (no opcode table for this layout: names and constants only)"];
  const { table } = picked;
  const lines = [
    `    opcodes read with the CPython ${table.version} table${picked.invalid > 0 ? ` (${picked.invalid} undecodable units)` : ""}`,
  ];
  for (const instruction of decode(code.code, table).instructions) {
    if (budget.lines-- <= 0) {
      lines.push("    …");
      break;
    }
    const name = table.names[instruction.opcode] || `<${instruction.opcode}>`;
    if (name === "CACHE") continue;
    const argument = resolveArgument(code, table, instruction);
    lines.push(`    ${String(instruction.offset).padStart(4)} ${name}${argument ? ` ${argument}` : ""}`);
  }
  return lines;
}

const LAYOUT_LABEL: Record<CodeObject["layout"], string> = {
  "3.11+": "CPython 3.11+",
  "3.8-3.10": "CPython 3.8-3.10",
  "3.0-3.7": "CPython 3.0-3.7",
};

/** A readable summary of a code object and the ones nested in it: signature, names, constants, opcodes. */
export function summarizeCode(root: CodeObject): string {
  const budget = { lines: MAX_DISASSEMBLY_LINES };
  const out: string[] = [];
  for (const code of codeObjects(root)) {
    const label = code.qualname ?? code.name;
    const args = code.varnames.slice(0, code.argcount + code.kwonlyargcount).join(", ");
    out.push(
      `code object ${label}(${args}) [${LAYOUT_LABEL[code.layout]} layout, file ${JSON.stringify(code.filename)}, line ${code.firstlineno}]`,
    );
    out.push(`  names: ${code.names.join(", ") || "-"}`);
    out.push(`  locals: ${code.varnames.join(", ") || "-"}`);
    if (code.freevars.length > 0) out.push(`  free variables: ${code.freevars.join(", ")}`);
    out.push(`  constants: ${code.consts.map((constant) => reprValue(constant)).join(", ") || "-"}`);
    out.push("  disassembly:");
    out.push(...disassemble(code, budget));
  }
  return out.join("\n");
}
