import { FORMATS, type ParseContext } from "@modelaudit/core";
import { classifyMember } from "./member-path.js";
import { looksLikeText } from "./text-content.js";
import { FILE_ARGUMENTS, findBuiltinCalls } from "./torchscript-builtins.js";
import { findUses } from "./torchscript-uses.js";

/** Largest code or extra member decoded as text; TorchScript code for large models runs to a few MiB. */
const MAX_TEXT_BYTES = 32 * 1024 * 1024;
const MAX_EXTRA_TEXT = 1024 * 1024;

/** The parse of {@link torchscriptHandler}, imported on the first TorchScript member. */
export async function parseTorchScriptMember(context: ParseContext): Promise<void> {
  const path = context.memberChain.at(-1);
  if (!path) return;
  const kind = classifyMember(path);
  if (kind === "other") return;
  const { source } = context;
  const limit = Math.min(kind === "code" ? MAX_TEXT_BYTES : MAX_EXTRA_TEXT, context.limits.maxInMemoryBytes);
  const bytes = await source.read(0, Math.min(source.size, limit));
  if (kind === "extra") {
    if (!looksLikeText(bytes)) return; // binary extra files are left to the byte-level detectors
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    context.emit({ kind: "text", key: path, text, role: "metadata", location: { path } });
    if (source.size > bytes.length) {
      context.emit({
        kind: "anomaly",
        code: "limit-exceeded",
        message: `${path}: only the first ${bytes.length} of ${source.size} bytes were read as text`,
        location: { path },
      });
    }
    return;
  }
  // torch.jit.load compiles a code member whatever control bytes it holds (a NUL or \x01 in a comment
  // loads and runs): it is always read as text, invalid UTF-8 replaced, and said when it is not text.
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (!isUtf8(bytes)) {
    const reason = `${path}: TorchScript code is not valid UTF-8 text; it was read with the invalid bytes replaced`;
    context.emit({ kind: "anomaly", code: "malformed", message: reason, location: { path } });
    context.inconclusive(reason);
  }
  if (source.size > bytes.length) {
    const reason = `${path}: TorchScript code of ${source.size} bytes is over the ${limit}-byte limit`;
    context.emit({ kind: "anomaly", code: "limit-exceeded", message: reason, location: { path } });
    context.inconclusive(reason);
  }
  context.addFormat(FORMATS.torchscript);
  context.emit({ kind: "code", language: "torchscript", text, location: { path } });
  emitUses(context, path, text);
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function emitUses(context: ParseContext, path: string, text: string): void {
  const uses = findUses(text, () => context.checkDeadline());
  for (const use of uses.operators) {
    context.emit({
      kind: "graph-node",
      framework: "torchscript",
      op: use.name,
      domain: use.namespace,
      name: use.qualifiedName,
      attributes: { kind: use.kind, qualifiedName: use.qualifiedName, line: use.line },
      location: { path, line: use.line, column: use.column },
    });
  }
  // `torch.<name>(...)` is the ATen operator aten::<name>, and so are the other spellings the loader
  // resolves (`torch.autograd.<name>`, aliases); file-name arguments written as literals are files the
  // model opens when it runs (torch.from_file maps one, torch.save writes one).
  const builtins = findBuiltinCalls(text, () => context.checkDeadline());
  let unresolvedFile = false;
  for (const call of builtins.calls) {
    const location = { path, line: call.line, column: call.column };
    // `ops.<ns>.<op>(...)` is a graph node of findUses already.
    if (!call.direct) {
      context.emit({
        kind: "graph-node",
        framework: "torchscript",
        op: call.name,
        domain: call.namespace,
        name: call.written,
        attributes: {
          kind: "builtin",
          qualifiedName: call.written,
          operator: `${call.namespace}::${call.name}`,
          line: call.line,
        },
        location,
      });
    }
    if (call.namespace !== "aten") continue;
    const file = FILE_ARGUMENTS.get(call.name);
    if (!file) continue;
    const target = call.literals[file.position] ?? call.literals[file.keyword];
    if (target !== undefined && target !== "") {
      context.emit({ kind: "reference", target, referenceKind: "path", key: call.written, location });
    } else {
      unresolvedFile = true;
    }
  }
  // A file name passed in from elsewhere (a caller, an attribute) is not followed through the code:
  // every path-like literal of the member is a file the call may open.
  if (unresolvedFile) {
    for (const target of builtins.pathLiterals) {
      context.emit({
        kind: "reference",
        target,
        referenceKind: "path",
        key: "torch file operator argument",
        location: { path },
      });
    }
  }
  for (const load of uses.loads) {
    if (load.path === null) continue; // the code fact still carries the call for the jit detector
    context.emit({
      kind: "reference",
      target: load.path,
      referenceKind: "path",
      key: load.callee,
      location: { path, line: load.line, column: load.column },
    });
  }
}
