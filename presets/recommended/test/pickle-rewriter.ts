/**
 * Payload-preserving rewrites of pickle streams, for the metamorphic test: each rewrite changes the
 * bytes but not what CPython's unpickler imports and calls. The rewrites are what an attacker does
 * to slip a known-bad pickle past a scanner whose reading differs from the loader's.
 */

type ArgKind = "none" | "u1" | "u2" | "u4" | "u8" | "line" | "lines2" | "len1" | "len4" | "len8";

/** Argument layout of every opcode (CPython's pickletools). */
const ARGS: Record<number, ArgKind> = {};
const layout: [string, ArgKind][] = [
  ["(.0123N\x88\x89)\x85\x86\x87t]l}d\x8f\x91\x90aesuR\x81\x92obQ\x93\x94\x97\x98", "none"],
  ["Kqh\x80\x82", "u1"],
  ["M\x83", "u2"],
  ["Jrj\x84", "u4"],
  ["G\x95", "u8"],
  ["ILFSVpgP", "line"],
  ["ci", "lines2"],
  ["UC\x8c\x8a", "len1"],
  ["TBX\x8b", "len4"],
  ["\x8d\x8e\x96", "len8"],
];
for (const [codes, kind] of layout) for (const code of codes) ARGS[code.charCodeAt(0)] = kind;

export interface Op {
  code: number;
  /** Argument bytes as stored after the opcode byte. */
  arg: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function op(code: string | number, arg: Uint8Array | string = new Uint8Array(0)): Op {
  return {
    code: typeof code === "string" ? code.charCodeAt(0) : code,
    arg: typeof arg === "string" ? encoder.encode(arg) : arg,
  };
}

function le(value: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let rest = value;
  for (let index = 0; index < width; index++) {
    out[index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function readLe(bytes: Uint8Array, width: number): number {
  let value = 0;
  for (let index = width - 1; index >= 0; index--) value = value * 256 + (bytes[index] as number);
  return value;
}

/** Splits one stream into opcodes up to and including its STOP; undefined when it is not one. */
export function disassemble(data: Uint8Array, start = 0): { ops: Op[]; end: number } | undefined {
  const ops: Op[] = [];
  let pos = start;
  while (pos < data.length) {
    const code = data[pos++] as number;
    const kind = ARGS[code];
    if (kind === undefined) return undefined;
    let length = 0;
    switch (kind) {
      case "none":
        break;
      case "u1":
      case "u2":
      case "u4":
      case "u8":
        length = Number(kind.slice(1));
        break;
      case "line":
      case "lines2": {
        let end = data.indexOf(0x0a, pos);
        if (kind === "lines2" && end >= 0) end = data.indexOf(0x0a, end + 1);
        if (end < 0) return undefined;
        length = end + 1 - pos;
        break;
      }
      default: {
        const width = Number(kind.slice(3));
        if (pos + width > data.length) return undefined;
        length = width + readLe(data.subarray(pos, pos + width), width);
      }
    }
    if (pos + length > data.length) return undefined;
    ops.push({ code, arg: data.subarray(pos, pos + length) });
    pos += length;
    if (code === 0x2e) return { ops, end: pos };
  }
  return undefined;
}

export function assemble(ops: readonly Op[]): Uint8Array {
  return concat(ops.flatMap((entry) => [Uint8Array.of(entry.code), entry.arg]));
}

const PROTO = 0x80;
const FRAME = 0x95;
const STOP = 0x2e;
const MEMO_PUTS = new Set([0x70, 0x71, 0x72, 0x94]); // PUT BINPUT LONG_BINPUT MEMOIZE
const MEMO_GETS = new Set([0x67, 0x68, 0x6a]); // GET BINGET LONG_BINGET

function withoutFrames(ops: readonly Op[]): Op[] {
  return ops.filter((entry) => entry.code !== FRAME);
}

function body(ops: readonly Op[]): Op[] {
  return withoutFrames(ops).filter((entry) => entry.code !== PROTO);
}

function frame(ops: readonly Op[]): Op {
  return op(FRAME, le(assemble(ops).length, 8));
}

/** Harmless push-then-discard prefixes: each leaves the stack and memo as they were. */
const PREFIXES: [string, Op[]][] = [
  ["NONE POP", [op("N"), op("0")]],
  ["NEWTRUE POP", [op(0x88), op("0")]],
  ["NEWFALSE POP", [op(0x89), op("0")]],
  ["BININT1 POP", [op("K", Uint8Array.of(7)), op("0")]],
  ["BININT POP", [op("J", le(123456, 4)), op("0")]],
  ["BINFLOAT POP", [op("G", Uint8Array.of(0x3f, 0xf0, 0, 0, 0, 0, 0, 0)), op("0")]],
  ["INT POP", [op("I", "42\n"), op("0")]],
  ["LONG POP", [op("L", "42L\n"), op("0")]],
  ["FLOAT POP", [op("F", "1.5\n"), op("0")]],
  ["UNICODE POP", [op("V", "x\n"), op("0")]],
  ["STRING POP", [op("S", "'x'\n"), op("0")]],
  ["SHORT_BINBYTES POP", [op("C", Uint8Array.of(1, 0x41)), op("0")]],
  ["EMPTY_LIST POP", [op("]"), op("0")]],
  ["EMPTY_DICT POP", [op("}"), op("0")]],
  ["EMPTY_TUPLE POP", [op(")"), op("0")]],
  ["MARK POP_MARK", [op("("), op("1")]],
  ["MARK POP", [op("("), op("0")]],
  ["list SETITEM", [op("]"), op("K", Uint8Array.of(1)), op("a"), op("K", Uint8Array.of(0)), op("N"), op("s"), op("0")]],
  ["DUP POP POP", [op("N"), op("2"), op("0"), op("0")]],
];

/** Tiny complete streams placed before the real one (loaders that call pickle.load in a loop). */
const LEADING_STREAMS: [string, Uint8Array][] = [
  ["N.", Uint8Array.of(0x4e, STOP)],
  ["}.", Uint8Array.of(0x7d, STOP)],
  ["PROTO 2 N.", Uint8Array.of(PROTO, 2, 0x4e, STOP)],
  ["PROTO 4 FRAME N.", concat([Uint8Array.of(PROTO, 4, FRAME), le(2, 8), Uint8Array.of(0x4e, STOP)])],
  ["INT .", encoder.encode("I1\n.")],
];

/** Memo keys made explicit (MEMOIZE numbers entries in order) so they can be renumbered. */
function explicitMemo(ops: readonly Op[]): { ops: Op[]; ok: boolean } {
  let next = 0;
  const out: Op[] = [];
  // Rewritten opcodes change length: frames (a loader hint in C, a hard boundary in Python) go.
  for (const entry of withoutFrames(ops)) {
    if (entry.code === 0x94) {
      out.push({ code: 0x72, arg: le(next++, 4) });
    } else if (MEMO_PUTS.has(entry.code)) {
      const key = memoKey(entry);
      if (key === undefined) return { ops: [...ops], ok: false };
      // A later MEMOIZE takes the memo's size as its key: explicit keys must not disturb that.
      if (key !== next) return { ops: [...ops], ok: false };
      next++;
      out.push(entry);
    } else {
      out.push(entry);
    }
  }
  return { ops: out, ok: true };
}

function memoKey(entry: Op): number | undefined {
  switch (entry.code) {
    case 0x70:
    case 0x67:
      return Number.parseInt(decoder.decode(entry.arg).trim(), 10);
    case 0x71:
    case 0x68:
      return entry.arg[0] as number;
    case 0x72:
    case 0x6a:
      return readLe(entry.arg, 4);
    default:
      return undefined;
  }
}

function renumberMemo(ops: readonly Op[], map: (key: number) => number, text: boolean): Op[] | undefined {
  const explicit = explicitMemo(ops);
  if (!explicit.ok) return undefined;
  return explicit.ops.map((entry) => {
    const key = memoKey(entry);
    if (key === undefined) return entry;
    const put = MEMO_PUTS.has(entry.code);
    if (text) return op(put ? "p" : "g", `${map(key)}\n`);
    return op(put ? 0x72 : 0x6a, le(map(key), 4));
  });
}

function shortUnicode(text: string): Op {
  const bytes = encoder.encode(text);
  return op(0x8c, concat([Uint8Array.of(bytes.length), bytes]));
}

/** GLOBAL → STACK_GLOBAL (two strings pushed, no memo use). */
function globalsToStackGlobals(ops: readonly Op[]): Op[] | undefined {
  let changed = false;
  const out = withoutFrames(ops).flatMap((entry) => {
    if (entry.code !== 0x63) return [entry];
    const [module, name] = decoder.decode(entry.arg).split("\n");
    changed = true;
    return [shortUnicode(module ?? ""), shortUnicode(name ?? ""), op(0x93)];
  });
  return changed ? out : undefined;
}

/**
 * STACK_GLOBAL → the two strings popped, then a GLOBAL (the strings stay memoized as before). Needs
 * the strings' values: a small symbolic stack tracks strings and memo entries.
 */
function stackGlobalsToGlobals(ops: readonly Op[]): Op[] | undefined {
  const stack: (string | undefined)[] = [];
  const marks: number[] = [];
  const memo = new Map<number, string | undefined>();
  let memoSize = 0;
  let changed = false;
  const out: Op[] = [];
  for (const entry of withoutFrames(ops)) {
    const code = entry.code;
    const text = stringArg(entry);
    if (code === 0x93) {
      const name = stack.pop();
      const module = stack.pop();
      if (module === undefined || name === undefined) return undefined;
      out.push(op("0"), op("0"), op("c", `${module}\n${name}\n`));
      stack.push(undefined);
      changed = true;
      continue;
    }
    out.push(entry);
    if (text !== undefined) {
      stack.push(text);
      continue;
    }
    if (MEMO_PUTS.has(code)) {
      const key = code === 0x94 ? memoSize : (memoKey(entry) as number);
      if (!memo.has(key)) memoSize++;
      memo.set(key, stack[stack.length - 1]);
      continue;
    }
    if (MEMO_GETS.has(code)) {
      stack.push(memo.get(memoKey(entry) as number));
      continue;
    }
    if (!applyEffect(code, stack, marks)) return undefined;
  }
  return changed ? out : undefined;
}

function stringArg(entry: Op): string | undefined {
  switch (entry.code) {
    case 0x8c:
    case 0x55:
      return decoder.decode(entry.arg.subarray(1));
    case 0x58:
    case 0x54:
      return decoder.decode(entry.arg.subarray(4));
    case 0x8d:
      return decoder.decode(entry.arg.subarray(8));
    case 0x56:
      return decoder.decode(entry.arg.subarray(0, -1));
    default:
      return undefined;
  }
}

/** Stack effect of every opcode that is not a string push, memo access or STACK_GLOBAL. */
function applyEffect(code: number, stack: unknown[], marks: number[]): boolean {
  const popMark = () => {
    const mark = marks.pop();
    if (mark === undefined) return false;
    stack.length = mark;
    return true;
  };
  const pop = (count: number) => {
    if (stack.length < count) return false;
    stack.length -= count;
    return true;
  };
  switch (String.fromCharCode(code)) {
    case "(":
      marks.push(stack.length);
      return true;
    case "0":
      if (marks.length > 0 && marks[marks.length - 1] === stack.length) {
        marks.pop();
        return true;
      }
      return pop(1);
    case "1":
      return popMark();
    case "2":
      stack.push(stack[stack.length - 1]);
      return true;
    case "t":
    case "l":
    case "d":
    case "\x91":
      if (!popMark()) return false;
      stack.push(undefined);
      return true;
    case "e":
    case "u":
    case "\x90":
      return popMark();
    case "o":
    case "i":
      if (!popMark()) return false;
      stack.push(undefined);
      return true;
    case "a":
    case "b":
      return pop(1);
    case "s":
      return pop(2);
    case "R":
    case "\x81":
      if (!pop(2)) return false;
      stack.push(undefined);
      return true;
    case "\x92":
      if (!pop(3)) return false;
      stack.push(undefined);
      return true;
    case "\x85":
    case "\x86":
    case "\x87":
      if (!pop(code - 0x84)) return false;
      stack.push(undefined);
      return true;
    case "Q":
      if (!pop(1)) return false;
      stack.push(undefined);
      return true;
    case "\x80":
    case "\x95":
    case "\x98":
      return true;
    case ".":
      return true;
    default:
      // Every other opcode pushes one value (scalars, empty containers, GLOBAL, EXT, PERSID...).
      stack.push(undefined);
      return true;
  }
}

/**
 * REDUCE of a GLOBAL on an argument tuple → OBJ (`MARK cls args... o`), when the callable and the
 * tuple are built by contiguous opcodes right before the REDUCE and nothing memoizes the tuple.
 */
function reduceToObj(ops: readonly Op[]): Op[] | undefined {
  const explicit = explicitMemo(ops);
  if (!explicit.ok) return undefined;
  const list = explicit.ops;
  const gets = new Set(list.filter((entry) => MEMO_GETS.has(entry.code)).map((entry) => memoKey(entry)));
  for (let index = list.length - 1; index >= 0; index--) {
    if (list[index]?.code !== 0x52) continue;
    // The argument tuple: EMPTY_TUPLE, or MARK ... TUPLE, or one scalar/string then TUPLE1.
    const tupleEnd = index - 1;
    const tupleOp = list[tupleEnd];
    let itemsStart: number;
    let itemsEnd: number;
    if (tupleOp?.code === 0x29) {
      itemsStart = tupleEnd;
      itemsEnd = tupleEnd;
    } else if (tupleOp?.code === 0x74) {
      const mark = findMatchingMark(list, tupleEnd);
      if (mark === undefined) continue;
      itemsStart = mark + 1;
      itemsEnd = tupleEnd;
    } else if (tupleOp?.code === 0x85 && isSimplePush(list[tupleEnd - 1])) {
      itemsStart = tupleEnd - 1;
      itemsEnd = tupleEnd;
    } else {
      continue;
    }
    const tupleStart = tupleOp.code === 0x74 ? itemsStart - 1 : itemsStart;
    // The callable: a GLOBAL right before the tuple (memo stores of it may sit in between).
    let callable = tupleStart - 1;
    while (callable >= 0 && MEMO_PUTS.has(list[callable]?.code ?? -1)) callable--;
    if (list[callable]?.code !== 0x63) continue;
    const between = list.slice(callable + 1, tupleStart);
    if (between.some((entry) => gets.has(memoKey(entry)))) continue;
    const items = list.slice(itemsStart, itemsEnd);
    return [...list.slice(0, callable), op("("), list[callable] as Op, ...items, op("o"), ...list.slice(index + 1)];
  }
  return undefined;
}

function isSimplePush(entry: Op | undefined): boolean {
  return entry !== undefined && stringArg(entry) !== undefined;
}

function findMatchingMark(list: readonly Op[], closing: number): number | undefined {
  let depth = 0;
  for (let index = closing - 1; index >= 0; index--) {
    const code = list[index]?.code;
    if (code === 0x74 || code === 0x6c || code === 0x64 || code === 0x65 || code === 0x75 || code === 0x6f) depth++;
    if (code === 0x28) {
      if (depth === 0) return index;
      depth--;
    }
  }
  return undefined;
}

export interface Rewrite {
  name: string;
  bytes: Uint8Array;
}

/** Every payload-preserving rewrite of the first stream of `data` that this rewriter knows. */
export function rewrites(data: Uint8Array): Rewrite[] {
  const parsed = disassemble(data);
  if (!parsed) return [];
  const ops = parsed.ops;
  const rest = data.subarray(parsed.end);
  const core = body(ops);
  const out: Rewrite[] = [];
  const add = (name: string, list: readonly Op[] | undefined, tail: Uint8Array = rest) => {
    if (list) out.push({ name, bytes: concat([assemble(list), tail]) });
  };
  for (let protocol = 0; protocol <= 5; protocol++)
    add(`PROTO ${protocol}`, [op(PROTO, Uint8Array.of(protocol)), ...core]);
  add("no PROTO", core);
  add("PROTO twice", [op(PROTO, Uint8Array.of(2)), op(PROTO, Uint8Array.of(4)), ...core]);
  add("PROTO last", [...core.slice(0, -1), op(PROTO, Uint8Array.of(1)), ...core.slice(-1)]);
  for (const [name, prefix] of PREFIXES) {
    add(`${name} first`, [...prefix, ...withoutFrames(ops)]);
    add(`PROTO 2, ${name}`, [op(PROTO, Uint8Array.of(2)), ...prefix, ...core]);
    add(`PROTO 1, ${name}`, [op(PROTO, Uint8Array.of(1)), ...prefix, ...core]);
  }
  add("FRAME first", [frame(core), ...core]);
  add("PROTO 4, one FRAME", [op(PROTO, Uint8Array.of(4)), frame(core), ...core]);
  add("FRAME before PROTO", [frame([op(PROTO, Uint8Array.of(4)), ...core]), op(PROTO, Uint8Array.of(4)), ...core]);
  const half = Math.max(1, Math.floor(core.length / 2));
  add("PROTO 4, FRAME over the first half", [
    op(PROTO, Uint8Array.of(4)),
    frame(core.slice(0, half)),
    ...core.slice(0, half),
    frame(core.slice(half)),
    ...core.slice(half),
  ]);
  add("PROTO 0, FRAME", [op(PROTO, Uint8Array.of(0)), frame(core), ...core]);
  for (const [name, stream] of LEADING_STREAMS) {
    out.push({ name: `after stream ${name}`, bytes: concat([stream, data]) });
    out.push({ name: `after stream ${name} twice`, bytes: concat([stream, stream, data]) });
  }
  add(
    "memo keys + 1000",
    renumberMemo(ops, (key) => key + 1000, false),
  );
  add(
    "memo keys reversed",
    renumberMemo(ops, (key) => 60_000 - key, false),
  );
  add(
    "text PUT/GET",
    renumberMemo(ops, (key) => key + 7, true),
  );
  add("GLOBAL → STACK_GLOBAL", globalsToStackGlobals(ops));
  add("STACK_GLOBAL → GLOBAL", stackGlobalsToGlobals(ops));
  add("REDUCE → OBJ", reduceToObj(ops));
  const withGlobals = stackGlobalsToGlobals(ops);
  if (withGlobals) add("STACK_GLOBAL → GLOBAL, REDUCE → OBJ", reduceToObj(withGlobals));
  add("trailing text", ops, concat([rest, encoder.encode("\nthis is not a pickle, just notes\n")]));
  add("trailing binary", ops, concat([rest, Uint8Array.of(0x00, 0xff, 0xfe, 0x10, 0x80)]));
  return out;
}
