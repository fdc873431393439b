import { isOpcode } from "./opcodes.js";
import { type MachineHooks, PickleMachine, type StreamResult } from "./pickle-machine.js";

const SILENT: MachineHooks = {
  emit: () => undefined,
  embeddedBytes: () => undefined,
  embeddedText: () => undefined,
  importedModule: () => undefined,
  sideFile: () => undefined,
  checkDeadline: () => undefined,
};

/**
 * First opcodes a protocol 0/1 pickle written by a pickler plausibly starts with: MARK (`(dp0`,
 * `(lp0`, `(i`), GLOBAL, empty containers, scalars. Used only to pre-filter base64/hex text that
 * may hide a pickle; sniffing a source accepts any opcode, as the unpickler does.
 */
const PROTOCOL_0_1_STARTS = new Set(
  [..."(c}])NILFSVKJMXUTBC"].map((character) => character.charCodeAt(0)).concat([0x8c]),
);
const TRIAL_OPCODES = 64;
/** Opcodes an embedded value is trial-parsed for before it is taken for a pickle. */
const EMBEDDED_TRIAL_OPCODES = 100_000;
/** Complete tiny streams followed back to back while sniffing (`N.N.N.` + payload). */
const MAX_SNIFF_STREAMS = 32;
const PERSID = 0x50;

/** Whether a pickler's output plausibly starts with this byte (a protocol header or a protocol 0/1 opcode). */
export function isPlausibleFirstByte(byte: number): boolean {
  return byte === 0x80 || PROTOCOL_0_1_STARTS.has(byte);
}

/**
 * Whether CPython's unpickler, loading `bytes`, would do something a scanner must judge: reach an
 * import, read a stream to its STOP, or run out of data in the middle of a sound stream.
 *
 * The unpickler accepts any opcode first (a `PROTO` of 0 to 5, a `FRAME`, `NONE` then `POP`, ...),
 * so sniffing does too, and it decides by trial-parsing the head the way the loader would: it stops
 * where the unpickler would raise. Bytes it refuses before any import run nothing when loaded and are
 * not claimed. `partial`: more data follows beyond `bytes`, up to `sourceSize` bytes in all.
 * `followsPickle`: the bytes come after a STOP inside a file already known to be pickle, where a
 * loader calling `pickle.load` in a loop reads on.
 */
export function looksLikePickle(
  bytes: Uint8Array,
  partial = false,
  sourceSize = bytes.length,
  followsPickle = false,
): boolean {
  return sniffStreams(bytes, partial, sourceSize, followsPickle, 0);
}

function sniffStreams(
  bytes: Uint8Array,
  partial: boolean,
  sourceSize: number,
  followsPickle: boolean,
  depth: number,
): boolean {
  if (bytes.length < 2) return false;
  const first = bytes[0] as number;
  if (!isOpcode(first)) return false;
  // The pickler's own header: a protocol 2-5 PROTO followed by a real opcode.
  if (first === 0x80 && (bytes[1] as number) >= 2 && (bytes[1] as number) <= 5) {
    return bytes.length >= 3 && isOpcode(bytes[2] as number);
  }
  // A text PERSID first fails in every loader (plain pickle has no persistent_load, torch's wants a
  // tuple), and it is how every zip file ("PK") starts.
  if (first === PERSID) return false;
  const result = trial(bytes);
  if (result.budgetReached || result.imports > 0) return true;
  if (result.complete) {
    if (result.opcodes >= 2 && (followsPickle || result.opcodes >= 8 || result.end >= sourceSize - 16)) return true;
    // A tiny stream (`N.`) first, the real one after it: loaders that call pickle.load in a loop
    // (and joblib's object arrays) read on.
    if (depth >= MAX_SNIFF_STREAMS) return true;
    const rest = bytes.subarray(result.end);
    return sniffStreams(rest, partial, sourceSize - result.end, false, depth + 1);
  }
  // Cut short after a few sound opcodes: a broken pickle, or one whose head ends mid-argument. A
  // length field must then fit in the source: random data declares lengths far past its end.
  if (result.failure?.code !== "truncated" || result.opcodes < 3) return false;
  if (!partial) return true;
  return result.failure.declaredEnd === undefined || result.failure.declaredEnd <= sourceSize;
}

function trial(bytes: Uint8Array): StreamResult {
  const machine = new PickleMachine(bytes, SILENT, {
    stream: 0,
    mode: "trial",
    maxOpcodes: TRIAL_OPCODES,
    strictNames: true,
    joblibArrays: false,
  });
  return machine.run(0);
}

/**
 * Whether the bytes after a complete stream start another stream that is cut short: a loader
 * reading on would fail there, so what it would have run cannot be known.
 */
export function startsTruncatedPickle(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || !isOpcode(bytes[0] as number)) return false;
  const result = trial(bytes);
  return result.failure?.code === "truncated" && result.end >= bytes.length;
}

/**
 * Whether bytes found inside other data (the low bits of weights) are a pickle that does something:
 * one that reaches an import of a dotted identifier. Random bytes after a lucky PROTO header reach a
 * STOP now and then; they do not spell a module and a name.
 */
export function looksLikeImportingPickle(bytes: Uint8Array): boolean {
  if (!looksLikePickle(bytes)) return false;
  const machine = new PickleMachine(bytes, SILENT, {
    stream: 0,
    mode: "trial",
    maxOpcodes: EMBEDDED_TRIAL_OPCODES,
    strictNames: true,
    joblibArrays: false,
  });
  return machine.run(0).imports > 0;
}

/**
 * Stricter check for bytes found inside another value (bytes objects, base64/hex strings): beyond
 * the header, the first few opcodes must also parse, so random data with a lucky header is not
 * scanned as a pickle.
 */
export function looksLikeEmbeddedPickle(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || !isPlausibleFirstByte(bytes[0] as number)) return false;
  if (!looksLikePickle(bytes)) return false;
  // Array data and other binary values start like pickles by chance: only a value that parses to
  // its STOP, or reaches an import on the way, is one (nothing runs it unless a gadget unpickles it,
  // and such a gadget is judged on its own).
  const machine = new PickleMachine(bytes, SILENT, {
    stream: 0,
    mode: "trial",
    maxOpcodes: EMBEDDED_TRIAL_OPCODES,
    strictNames: true,
    joblibArrays: false,
  });
  const result = machine.run(0);
  return result.complete || result.imports > 0 || result.budgetReached;
}
