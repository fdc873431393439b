import {
  type AnomalyFact,
  BufferSource,
  type EntryFact,
  FORMATS,
  type ParseContext,
  type Source,
  type TextFact,
} from "@modelaudit/core";
import {
  type CentralEntry,
  type EndRecord,
  isEncryptedFlag,
  parseCentralDirectory,
  readEndRecord,
} from "./central-directory.js";
import { MAIN_LOADER, memberKey, readAsEveryLoader, WALK_LOADER } from "./loader-differential.js";
import { readLoaderTail } from "./loader-readings.js";
import { walkLocalHeaders } from "./local-header-walk.js";
import { decodeMember, type MemberData, storedMember } from "./member-content.js";
import { zipLayoutLabels } from "./zip-layout.js";
import {
  decodeName,
  END_RECORD_SIZE,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
  methodName,
  view,
} from "./zip-records.js";

const SYMLINK_TARGET_MAX = 4096;
/** ZipCrypto prepends a 12-byte encryption header to the data. */
const ZIPCRYPTO_HEADER = 12;

interface MemberRange {
  name: string;
  start: number;
  end: number;
}

/** The parse of {@link zipHandler}, imported on the first zip. */
export async function parseZip(context: ParseContext): Promise<void> {
  const { source, limits } = context;
  const anomalies: AnomalyFact[] = [];
  const flush = (): void => {
    for (const anomaly of anomalies.splice(0)) context.emit(anomaly);
  };
  // One read of the tail serves the main reader (last 64 KiB + 22) and the loaders' searches (a bit more).
  const loaderTail = await readLoaderTail(source);
  const mainTailStart = Math.max(0, source.size - END_RECORD_SIZE - 0xffff);
  const end = await readEndRecord(source, anomalies, loaderTail.tail.subarray(mainTailStart - loaderTail.tailStart));
  let entries: CentralEntry[];
  let base = 0;
  if (end === null) {
    const walk = await walkLocalHeaders(source, limits.maxMembers, () => context.checkDeadline());
    entries = walk.entries;
    anomalies.push({ kind: "anomaly", code: "truncated", message: "no end-of-central-directory record" });
    context.inconclusive(
      `zip has no central directory; ${entries.length} member(s) recovered from local headers${walk.stopReason ? `, then stopped: ${walk.stopReason}` : ""}`,
    );
  } else {
    const located = await readCentralEntries(context, end, anomalies);
    entries = located.entries;
    base = located.base;
    if (end.comment !== undefined) context.emit(commentText(end.comment, "zip.comment", end.offset + END_RECORD_SIZE));
    if (end.end < source.size) {
      anomalies.push({
        kind: "anomaly",
        code: "trailing-data",
        message: `${source.size - end.end} bytes after the end-of-central-directory record`,
        location: { offset: end.end },
      });
    }
  }
  flush();
  const labels = zipLayoutLabels(entries.map((entry) => entry.name));
  for (const label of labels) context.addFormat(label);
  const torch = labels.includes(FORMATS.pytorchZip);

  const ranges: MemberRange[] = [];
  const seen = new Set<string>();
  const scanned = new Set<string>();
  for (const entry of entries) {
    context.checkDeadline();
    if (seen.has(entry.name)) {
      anomalies.push({
        kind: "anomaly",
        code: "unusual-structure",
        message: `member name ${JSON.stringify(entry.name)} appears more than once; loaders disagree on which wins`,
        location: { offset: entry.headerOffset },
      });
    }
    seen.add(entry.name);
    if (entry.comment !== undefined) {
      context.emit(commentText(entry.comment, `${entry.name}#comment`, entry.headerOffset));
    }
    scanned.add(memberKey(entry, base));
    await scanMember(context, entry, base, ranges, anomalies);
    flush();
  }
  reportLayoutAnomalies(ranges, base, anomalies);
  flush();
  // Without an end record in the last 64 KiB + 22 the main reader walked local headers; miniz
  // searches a little further back and may still find one.
  const main =
    end === null
      ? { loader: WALK_LOADER, torch, entries, base: 0, endRecord: -1 }
      : { loader: MAIN_LOADER, torch, entries, base, endRecord: end.offset };
  await readAsEveryLoader(
    context,
    main,
    {
      scanned,
      anomalies,
      scanMember: async (entry) => {
        await scanMember(context, entry, 0, [], anomalies);
        flush();
      },
      alias: (entry, name) => context.emit(entryFact(entry, name, 0)),
    },
    loaderTail,
  );
  flush();
}

/**
 * The archive comment and member comments are free text the writer chose (zipfile's `ZipFile.comment`,
 * `ZipInfo.comment`): text facts, so the detectors that judge text read them as they read metadata. A
 * member's comment is keyed `<member name>#comment`: the name says what the comment is about.
 */
function commentText(text: string, key: string, offset: number): TextFact {
  return { kind: "text", text, key, role: "metadata", location: { path: key, offset } };
}

function entryFact(entry: CentralEntry, name: string, base: number): EntryFact {
  return {
    kind: "entry",
    name,
    type: entry.type,
    size: entry.size,
    compressedSize: entry.compressedSize,
    method: methodName(entry.aesMethod ?? entry.method),
    encrypted: isEncryptedFlag(entry) || entry.aesMethod !== undefined,
    location: { offset: entry.localOffset + base },
    container: FORMATS.zip,
  };
}

async function readCentralEntries(
  context: ParseContext,
  end: EndRecord,
  anomalies: AnomalyFact[],
): Promise<{ entries: CentralEntry[]; base: number }> {
  const { source, limits } = context;
  // Self-extracting stubs and other prepended data shift every offset by the same amount.
  let base = end.centralEnd - end.centralSize - end.centralOffset;
  if (!Number.isSafeInteger(base) || base < 0) {
    anomalies.push({
      kind: "anomaly",
      code: "malformed",
      message: `central directory (offset ${end.centralOffset}, size ${end.centralSize}) does not end at the end record`,
      location: { offset: end.offset },
    });
    base = 0;
  }
  let start = end.centralOffset + base;
  if (!Number.isSafeInteger(start) || start > end.centralEnd) start = end.centralEnd;
  let length = end.centralEnd - start;
  if (length > limits.maxInMemoryBytes) {
    anomalies.push({
      kind: "anomaly",
      code: "limit-exceeded",
      message: `central directory of ${length} bytes is over the in-memory limit`,
    });
    context.inconclusive(`central directory of ${length} bytes is over the in-memory limit; only its start was read`);
    length = limits.maxInMemoryBytes;
  }
  const directory = await source.read(start, length);
  const { entries, stoppedEarly } = parseCentralDirectory(directory, start, limits.maxMembers, anomalies);
  if (stoppedEarly) {
    anomalies.push({ kind: "anomaly", code: "limit-exceeded", message: `more than ${limits.maxMembers} members` });
    context.inconclusive(`zip has more than ${limits.maxMembers} members; the rest were not listed`);
  } else if (entries.length !== end.entryCount) {
    anomalies.push({
      kind: "anomaly",
      code: "header-mismatch",
      message: `end record declares ${end.entryCount} members, the central directory holds ${entries.length}`,
      location: { offset: end.offset },
    });
    if (entries.length < end.entryCount) {
      context.inconclusive(`central directory lists ${entries.length} of the ${end.entryCount} declared members`);
    }
  }
  return { entries, base };
}

async function scanMember(
  context: ParseContext,
  entry: CentralEntry,
  base: number,
  ranges: MemberRange[],
  anomalies: AnomalyFact[],
): Promise<void> {
  const { source } = context;
  const name = entry.name === "" ? `member-${entry.index}` : entry.name;
  const fact: EntryFact = {
    kind: "entry",
    name: entry.name,
    type: entry.type,
    size: entry.size,
    compressedSize: entry.compressedSize,
    method: methodName(entry.aesMethod ?? entry.method),
    encrypted: false,
    location: { offset: entry.localOffset + base },
    container: FORMATS.zip,
  };
  const headerStart = entry.localOffset + base;
  const header =
    Number.isSafeInteger(headerStart) && headerStart >= 0
      ? await source.read(headerStart, LOCAL_HEADER_SIZE)
      : new Uint8Array(0);
  if (header.length < LOCAL_HEADER_SIZE || view(header).getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
    anomalies.push({
      kind: "anomaly",
      code: header.length < LOCAL_HEADER_SIZE ? "truncated" : "malformed",
      message: `${name}: no local header at offset ${headerStart}`,
      location: { offset: entry.headerOffset },
    });
    context.emit(fact);
    if (entry.type !== "directory") context.inconclusive(`${name}: local header missing; member not scanned`);
    return;
  }
  const local = view(header);
  const localNameLength = local.getUint16(26, true);
  const localExtraLength = local.getUint16(28, true);
  const localName = decodeName(await source.read(headerStart + LOCAL_HEADER_SIZE, localNameLength));
  if (localName !== entry.name) {
    fact.localName = localName;
    anomalies.push({
      kind: "anomaly",
      code: "header-mismatch",
      message: `member ${JSON.stringify(entry.name)} is named ${JSON.stringify(localName)} in its local header`,
      location: { offset: headerStart },
    });
  }
  const localMethod = local.getUint16(8, true);
  if (localMethod !== entry.method) {
    anomalies.push({
      kind: "anomaly",
      code: "header-mismatch",
      message: `${name}: local header says ${methodName(localMethod)}, central directory says ${methodName(entry.method)}`,
      location: { offset: headerStart },
    });
  }
  const dataStart = headerStart + LOCAL_HEADER_SIZE + localNameLength + localExtraLength;
  const declaredEnd = dataStart + entry.compressedSize;
  // A stored member is read as its plain size by miniz (torch.load reads `size` bytes from the data
  // start, whatever the compressed size says) and as the smaller of the two by zipfile: the longer.
  const readEnd = entry.method === 0 ? dataStart + Math.max(entry.compressedSize, entry.size) : declaredEnd;
  const available = Math.max(0, Math.min(source.size, readEnd) - Math.min(source.size, dataStart));
  ranges.push({ name, start: headerStart, end: Math.min(declaredEnd, source.size) });
  const truncated = !(declaredEnd <= source.size);
  if (truncated) {
    anomalies.push({
      kind: "anomaly",
      code: "truncated",
      message: `${name}: declared data (${entry.compressedSize} bytes at ${dataStart}) runs past the end of the file`,
      location: { offset: headerStart },
    });
  }
  const member: MemberData = {
    name,
    method: entry.method,
    dataStart: Math.min(dataStart, source.size),
    available,
    compressedSize: entry.compressedSize,
    size: entry.size,
  };
  if (entry.type === "directory") {
    // Python's zipfile (np.load of .npz, keras) lists and reads a "directory" entry like any other:
    // one that holds data is scanned as a file.
    if (!(entry.size > 0 || (entry.method === 0 && entry.compressedSize > 0))) {
      context.emit(fact);
      return;
    }
    fact.type = "file";
    anomalies.push({
      kind: "anomaly",
      code: "unusual-structure",
      message: `${name}: a directory entry carries ${entry.size} bytes of data (${entry.compressedSize} stored); Python's zipfile (np.load, keras) reads it as a file, so it is scanned as one`,
      location: { offset: headerStart },
    });
  }
  if (entry.method === 99 || entry.aesMethod !== undefined) {
    fact.encrypted = true;
    context.emit(fact);
    context.inconclusive(`${name} is encrypted (AES)`);
    return;
  }
  const flaggedEncrypted = isEncryptedFlag(entry);
  if (flaggedEncrypted && entry.method === 0 && entry.compressedSize !== entry.size) {
    // ZipCrypto data is the plain size plus its 12-byte header; PyTorch-style loaders read it as is.
    fact.encrypted = true;
    context.emit(fact);
    const note = entry.compressedSize === entry.size + ZIPCRYPTO_HEADER ? " (ZipCrypto)" : "";
    context.inconclusive(`${name} is encrypted${note}`);
    return;
  }

  let content: Source | null = null;
  let problem: string | undefined;
  if (entry.method === 0) {
    if (entry.compressedSize < entry.size) {
      anomalies.push({
        kind: "anomaly",
        code: "parser-differential",
        message: `${name}: stored member with compressed size ${entry.compressedSize} and size ${entry.size}: torch.load (miniz) reads ${entry.size} bytes, zipfile ${entry.compressedSize}`,
        location: { offset: headerStart },
      });
    } else if (entry.compressedSize !== entry.size) {
      anomalies.push({
        kind: "anomaly",
        code: "header-mismatch",
        message: `${name}: stored member with compressed size ${entry.compressedSize} and size ${entry.size}`,
        location: { offset: headerStart },
      });
    }
    content = storedMember(context, member);
  } else {
    const outcome = await decodeMember(context, member);
    if (outcome === null) {
      fact.encrypted = flaggedEncrypted;
      context.emit(fact);
      context.inconclusive(`${name} uses ${methodName(entry.method)} compression, which is not supported`);
      return;
    }
    if (flaggedEncrypted && (outcome.problem || outcome.bytes.length !== entry.size)) {
      fact.encrypted = true;
      context.emit(fact);
      context.inconclusive(`${name} is encrypted (ZipCrypto)`);
      return;
    }
    if (outcome.problem) {
      problem = outcome.problem.reason;
      if (outcome.problem.anomaly) {
        anomalies.push({
          kind: "anomaly",
          code: outcome.problem.anomaly,
          message: `${name}: ${outcome.problem.reason}`,
          location: { offset: headerStart },
        });
      }
    } else if (outcome.bytes.length !== entry.size) {
      anomalies.push({
        kind: "anomaly",
        code: "header-mismatch",
        message: `${name}: declares ${entry.size} bytes, decompresses to ${outcome.bytes.length}`,
        location: { offset: headerStart },
      });
    }
    content = new BufferSource(name, outcome.bytes);
  }
  if (flaggedEncrypted) {
    anomalies.push({
      kind: "anomaly",
      code: "header-mismatch",
      message: `${name}: the encryption flag is set but the data is not encrypted`,
      location: { offset: headerStart },
    });
  }
  if (truncated) problem ??= "data cut short by the end of the file; only the bytes present were scanned";

  if (entry.type === "symlink") {
    const target = await content.read(0, SYMLINK_TARGET_MAX);
    fact.linkTarget = decodeName(target);
    context.emit(fact);
    if (problem) context.inconclusive(`${name}: ${problem}`);
    return;
  }
  context.emit(fact);
  if (problem) context.inconclusive(`${name}: ${problem}`);
  for (const anomaly of anomalies.splice(0)) context.emit(anomaly);
  // A torch checkpoint's `<prefix>/data/<key>` storages are declared by its pickle (format-pickle),
  // which knows their element types, shapes and state-dict names.
  await context.scanChild(name, content);
}

function reportLayoutAnomalies(ranges: MemberRange[], base: number, anomalies: AnomalyFact[]): void {
  const sorted = [...ranges].sort((left, right) => left.start - right.start || left.end - right.end);
  let overlaps = 0;
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1] as MemberRange;
    const current = sorted[index] as MemberRange;
    if (current.start < previous.end) {
      overlaps++;
      if (overlaps <= 20) {
        anomalies.push({
          kind: "anomaly",
          code: "unusual-structure",
          message: `members ${JSON.stringify(previous.name)} and ${JSON.stringify(current.name)} share bytes (overlapping data ranges)`,
          location: { offset: current.start },
        });
      }
    }
  }
  if (overlaps > 20) {
    anomalies.push({
      kind: "anomaly",
      code: "unusual-structure",
      message: `${overlaps} overlapping member ranges in all`,
    });
  }
  const first = sorted[0];
  if (first && first.start > 0) {
    anomalies.push({
      kind: "anomaly",
      code: "unusual-structure",
      message: `${first.start} bytes before the first local header (prepended data, e.g. a self-extractor stub)`,
      location: { offset: 0 },
    });
  } else if (base > 0 && !first) {
    anomalies.push({
      kind: "anomaly",
      code: "unusual-structure",
      message: `${base} bytes before the zip data`,
      location: { offset: 0 },
    });
  }
}
