import {
  BufferSource,
  type EntryFact,
  FORMATS,
  type ParseContext,
  SliceSource,
  TimeLimitError,
} from "@modelaudit/core";
import { describeError } from "../decode/bounds.js";
import { CorruptDataError, TruncatedDataError } from "../decode/decode-errors.js";
import { S_IFLNK, S_IFMT } from "../zip/zip-records.js";
import { decodeFolder, folderRefusal } from "./folder-decoder.js";
import {
  type ArchiveFile,
  type Header,
  HeaderReader,
  PROPERTY,
  readHeader,
  readStreamsInfo,
  SIGNATURE_HEADER_SIZE,
} from "./seven-zip-header.js";
import { deepSearchCandidate, findSevenZipDeep, sevenZipAfterPrefix, startsWithSignature } from "./signature.js";

/** Where the sniffer looks for an archive behind a prefix: its head. */
const PREFIX_SEARCH = 64 * 1024;
/** An encoded header may itself be encoded; real archives nest once. */
const MAX_HEADER_LAYERS = 4;
const SYMLINK_TARGET_MAX = 4096;

/** Reads a 7z archive's headers and scans every member. */
export async function parseSevenZip(context: ParseContext): Promise<void> {
  // An archive behind a prefix (a self-extracting stub or bytes put in front): 7-Zip finds it by its
  // signature, so it is scanned from there, as a 7z of its own.
  const { source } = context;
  const head = await source.read(0, PREFIX_SEARCH);
  if (!startsWithSignature(head)) {
    let at = sevenZipAfterPrefix(head);
    if (at <= 0) {
      const name = context.memberChain.at(-1) ?? context.file;
      const dot = name.lastIndexOf(".");
      const extension = dot > name.lastIndexOf("/") + 1 ? name.slice(dot).toLowerCase() : "";
      if (!deepSearchCandidate(head, extension, source.size)) {
        context.inconclusive("7z signature not found where the sniffer saw it");
        return;
      }
      // An executable or `.exe`: 7-Zip finds an archive at any offset (a self-extracting stub). None
      // found means it is no SFX: nothing to report here.
      at = await findSevenZipDeep(source, () => context.checkDeadline());
      if (at <= 0) return;
      context.addFormat(FORMATS.sevenZip);
    }
    context.emit({
      kind: "anomaly",
      code: "unusual-structure",
      message: `a 7z archive starts at offset ${at}, after ${at} bytes of something else (7-Zip opens it by its signature)`,
      location: { offset: at },
    });
    await context.scanChild(`7z@${at}`, new SliceSource(`7z@${at}`, source, at, source.size - at));
    return;
  }
  let header: Header;
  try {
    const loaded = await loadHeader(context);
    if (loaded === null) return;
    header = loaded;
  } catch (error) {
    if (TimeLimitError.isInstance(error)) throw error;
    const truncated = error instanceof TruncatedDataError;
    context.emit({
      kind: "anomaly",
      code: truncated ? "truncated" : "malformed",
      message: `7z header: ${describeError(error)}`,
    });
    context.inconclusive(`7z header could not be read: ${describeError(error)}`);
    return;
  }
  const files = header.files;
  if (files.length > context.limits.maxMembers) {
    context.emit({ kind: "anomaly", code: "limit-exceeded", message: `7z lists ${files.length} files` });
    context.inconclusive(`7z has more than ${context.limits.maxMembers} members; the rest were not scanned`);
    files.length = context.limits.maxMembers;
  }
  const streams = header.streams;
  // Files with data take the folders' substreams in order.
  let fileIndex = 0;
  const nextWithStream = (): ArchiveFile | undefined => {
    while (fileIndex < files.length && !(files[fileIndex] as ArchiveFile).hasStream) {
      emitEntry(context, files[fileIndex] as ArchiveFile, 0);
      fileIndex++;
    }
    return files[fileIndex++];
  };
  for (let folderIndex = 0; streams && folderIndex < streams.folders.length; folderIndex++) {
    context.checkDeadline();
    const sizes = streams.substreams[folderIndex] ?? [];
    const members: ArchiveFile[] = [];
    for (let index = 0; index < sizes.length; index++) {
      const file = nextWithStream();
      if (file) members.push(file);
    }
    if (members.length === 0) continue;
    const refusal = folderRefusal(context, streams, folderIndex);
    let decoded: Uint8Array | null = null;
    let problem: string | null = refusal;
    if (!refusal) {
      try {
        const outcome = await decodeFolder(context, streams, folderIndex);
        decoded = outcome.bytes;
        if (outcome.problem) {
          problem = outcome.problem.reason;
          if (outcome.problem.anomaly) {
            context.emit({
              kind: "anomaly",
              code: outcome.problem.anomaly,
              message: `7z folder ${folderIndex}: ${problem}`,
            });
          }
        }
      } catch (error) {
        if (TimeLimitError.isInstance(error)) throw error;
        problem = describeError(error);
      }
    }
    let offset = 0;
    for (const [index, file] of members.entries()) {
      const size = sizes[index] ?? 0;
      const encrypted = refusal?.startsWith("encrypted") ?? false;
      const content =
        decoded && offset < decoded.length ? decoded.subarray(offset, Math.min(decoded.length, offset + size)) : null;
      offset += size;
      const fact = emitEntry(context, file, size, encrypted, content, false);
      if (problem && (content === null || content.length < size)) {
        context.inconclusive(`${file.name} ${encrypted ? "is encrypted" : `could not be fully extracted: ${problem}`}`);
      }
      context.emit(fact);
      if (content && content.length > 0 && fact.type !== "symlink") {
        await context.scanChild(file.name, new BufferSource(file.name, content));
      }
    }
  }
  while (fileIndex < files.length) {
    const file = files[fileIndex++] as ArchiveFile;
    emitEntry(context, file, 0);
    if (file.hasStream) context.inconclusive(`${file.name}: no data stream for this file in the header`);
  }
}

function emitEntry(
  context: ParseContext,
  file: ArchiveFile,
  size: number,
  encrypted = false,
  content: Uint8Array | null = null,
  emit = true,
): EntryFact {
  const unixMode = file.attributes !== undefined && file.attributes & 0x8000 ? file.attributes >>> 16 : 0;
  const isLink = (unixMode & S_IFMT) === S_IFLNK;
  const fact: EntryFact = {
    kind: "entry",
    name: file.name,
    type: file.isDirectory ? "directory" : isLink ? "symlink" : "file",
    size,
    encrypted,
    container: FORMATS.sevenZip,
  };
  if (isLink && content) fact.linkTarget = new TextDecoder().decode(content.subarray(0, SYMLINK_TARGET_MAX));
  if (emit) context.emit(fact);
  return fact;
}

async function loadHeader(context: ParseContext): Promise<Header | null> {
  const { source, limits } = context;
  const start = await source.read(0, SIGNATURE_HEADER_SIZE);
  if (start.length < SIGNATURE_HEADER_SIZE) throw new TruncatedDataError("signature header cut short");
  const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
  const nextOffset = view.getUint32(12, true) + view.getUint32(16, true) * 2 ** 32;
  const nextSize = view.getUint32(20, true) + view.getUint32(24, true) * 2 ** 32;
  const headerStart = SIGNATURE_HEADER_SIZE + nextOffset;
  if (nextSize === 0) {
    context.emit({
      kind: "anomaly",
      code: "truncated",
      message: "7z start header names no header (empty or unfinished archive)",
    });
    context.inconclusive("7z archive has no header");
    return null;
  }
  if (headerStart + nextSize > source.size)
    throw new TruncatedDataError(`header (${nextSize} bytes at ${headerStart}) runs past the end of the file`);
  if (nextSize > limits.maxInMemoryBytes)
    throw new CorruptDataError(`header of ${nextSize} bytes is over the in-memory limit`);
  if (headerStart + nextSize < source.size) {
    context.emit({
      kind: "anomaly",
      code: "trailing-data",
      message: `${source.size - headerStart - nextSize} bytes after the 7z header`,
      location: { offset: headerStart + nextSize },
    });
  }
  let bytes = await source.read(headerStart, nextSize);
  for (let layer = 0; layer < MAX_HEADER_LAYERS; layer++) {
    const reader = new HeaderReader(bytes);
    const property = reader.byte();
    if (property === PROPERTY.header) return readHeader(reader);
    if (property !== PROPERTY.encodedHeader) throw new CorruptDataError(`header starts with property ${property}`);
    const streams = readStreamsInfo(reader);
    if (folderRefusal(context, streams, 0)?.startsWith("encrypted")) {
      context.emit({
        kind: "entry",
        name: "(encrypted header)",
        type: "other",
        size: 0,
        encrypted: true,
        container: FORMATS.sevenZip,
      });
      context.inconclusive("7z header is encrypted (AES); member names and contents are hidden");
      return null;
    }
    const outcome = await decodeFolder(context, streams, 0);
    if (outcome.problem) throw new CorruptDataError(`encoded header: ${outcome.problem.reason}`);
    bytes = outcome.bytes;
  }
  throw new CorruptDataError("too many layers of encoded headers");
}
