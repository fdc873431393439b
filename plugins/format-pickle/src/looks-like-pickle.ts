import { isOpcode } from "./opcodes.js";
import { type MachineHooks, PickleMachine } from "./pickle-machine.js";

const SILENT: MachineHooks = {
  emit: () => undefined,
  embeddedBytes: () => undefined,
  embeddedText: () => undefined,
  importedModule: () => undefined,
  checkDeadline: () => undefined,
};

/**
 * First opcodes a protocol 0/1 pickle plausibly starts with: MARK (`(dp0`, `(lp0`, `(i`), GLOBAL,
 * empty containers, scalars. Not PERSID/BINFLOAT/NEWFALSE: too common as the first byte of text and
 * binary formats (`P`K zip, `G`GUF, `\x89`PNG).
 */
const PROTOCOL_0_1_STARTS = new Set(
  [..."(c}])NILFSVKJMXUTBC"].map((character) => character.charCodeAt(0)).concat([0x8c]),
);
const TRIAL_OPCODES = 64;

/** Whether a pickle can start with this byte (a protocol header or a plausible protocol 0/1 opcode). */
export function isPlausibleFirstByte(byte: number): boolean {
  return byte === 0x80 || PROTOCOL_0_1_STARTS.has(byte);
}

/**
 * Whether `bytes` is plausibly the start of a pickle. `partial`: more data follows beyond `bytes`,
 * up to `sourceSize` bytes in all. Random bytes (tensor data stored in a zip) must not pass: a lone
 * opcode byte followed by a length field is not evidence.
 */
export function looksLikePickle(
  bytes: Uint8Array,
  partial = false,
  sourceSize = bytes.length,
  /** After a STOP inside a file already known to be pickle: any complete stream counts. */
  followsPickle = false,
): boolean {
  if (bytes.length < 2) return false;
  const first = bytes[0] as number;
  if (first === 0x80) {
    // A protocol 2-5 header followed by a real opcode.
    const protocol = bytes[1] as number;
    return protocol >= 2 && protocol <= 5 && bytes.length >= 3 && isOpcode(bytes[2] as number);
  }
  if (!PROTOCOL_0_1_STARTS.has(first)) return false;
  // Protocol 0/1 has no header: the first opcodes must parse cleanly, with real identifiers in GLOBALs.
  const machine = new PickleMachine(bytes, SILENT, {
    stream: 0,
    mode: "trial",
    maxOpcodes: TRIAL_OPCODES,
    strictNames: true,
    joblibArrays: false,
  });
  const result = machine.run(0);
  if (result.budgetReached) return true;
  // A short complete pickle is evidence only when it is the whole source (a 2-byte `}.` file) or
  // has some substance: random data starts with `}.` or `(C..` followed by junk often enough.
  if (result.complete) {
    return result.opcodes >= 2 && (followsPickle || result.opcodes >= 8 || result.end >= sourceSize - 16);
  }
  // A real GLOBAL/INST with identifier names before a problem: a broken pickle still worth reading.
  if (result.imports > 0 && result.opcodes >= 2) return true;
  // Cut short after a few sound opcodes: a broken pickle, or one whose head ends mid-argument. A
  // length field must then fit in the source: random data declares lengths far past its end.
  if (result.failure?.code !== "truncated" || result.opcodes < 3) return false;
  if (!partial) return true;
  return result.failure.declaredEnd === undefined || result.failure.declaredEnd <= sourceSize;
}

/**
 * Stricter check for bytes found inside another value (bytes objects, base64/hex strings): beyond
 * the header, the first few opcodes must also parse, so random data with a lucky header is not
 * scanned as a pickle.
 */
export function looksLikeEmbeddedPickle(bytes: Uint8Array): boolean {
  if (!looksLikePickle(bytes)) return false;
  if (bytes[0] !== 0x80) return true; // protocol 0/1 was already trial-parsed
  const machine = new PickleMachine(bytes, SILENT, { stream: 0, mode: "trial", maxOpcodes: 8, joblibArrays: false });
  const result = machine.run(0);
  return result.complete || result.budgetReached || result.opcodes > 4;
}
