import { type AnomalyCode, type EntryFact, FORMATS, type ParseContext, SliceSource } from "@modelaudit/core";
import { describeError } from "../decode/bounds.js";
import { parsePaxRecords, paxNumber } from "./pax-records.js";
import {
  BLOCK,
  HeaderError,
  isZeroBlock,
  looksLikeTar,
  parseHeader,
  stringField,
  type TarHeader,
  TYPE,
} from "./tar-header.js";
import { tarLayoutLabels } from "./tar-layout.js";

/** GNU long names and link targets: real paths are far shorter; this bounds what one header may allocate. */
const LONG_NAME_MAX = 64 * 1024;
/** Pax keywords the walker uses as numbers or member names (reported through entry facts). */
const PAX_STRUCTURAL_KEYS = new Set(["path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid"]);

/** One pax extended header (its records are key=value metadata, never member data). */
const PAX_HEADER_MAX = 1024 * 1024;
/** Extended headers (L, K, x) before one member: writers put one or two; more is only an attack. */
const EXTENDED_CHAIN_MAX = 16;
/** Old GNU sparse headers chain extension blocks of 21 entries each. */
const SPARSE_EXTENSIONS_MAX = 4096;
/** Zero padding after the end marker is read in chunks of this size, looking for hidden data. */
const TRAILING_CHUNK = 1024 * 1024;

/** Member types with no data that Python's tarfile does not skip data for, whatever the size field says. */
const DATALESS_TYPES: ReadonlySet<string> = new Set([
  TYPE.hardlink,
  TYPE.symlink,
  TYPE.character,
  TYPE.block,
  TYPE.directory,
  TYPE.fifo,
]);
const PAX_SPARSE_KEYS = ["GNU.sparse.major", "GNU.sparse.map", "GNU.sparse.numblocks", "GNU.sparse.realsize"];

/** The parse of {@link tarHandler}, imported on the first tar. */
export async function parseTar(context: ParseContext): Promise<void> {
  const walk = new TarWalk(context);
  await walk.run();
  for (const label of tarLayoutLabels(walk.names)) context.addFormat(label);
}

/**
 * One extended header (GNU L/K, pax x) waiting for its member, in archive order. A pax header keeps
 * its own records and, as tarfile does, a copy of the global records as they stood when it was read.
 */
type Pending =
  | { kind: "longName"; text: string }
  | { kind: "longLink"; text: string }
  | { kind: "pax"; records: Map<string, string>; withGlobals: Map<string, string> };

/** How one extractor reads a member header with the extended headers before it. */
interface Reading {
  name: string;
  linkTarget: string;
  /** The member's size as the extractor reports it and reads its data. */
  size: number;
  /** The data bytes the extractor steps over before the next header. */
  skip: number;
}

/** Which extractor a walk follows: Python's tarfile (the loader), or GNU tar from the first place they part. */
type Reader = "tarfile" | "gnu";

class TarWalk {
  readonly names: string[] = [];
  private readonly globals: Map<string, string>;
  private pending: Pending[] = [];
  /** Where the current member's first header (extended or not) starts, as tarfile's `offset` reports it. */
  private memberStart = 0;
  /** Where GNU tar's reading leaves tarfile's (first member they step over differently), with its globals. */
  private divergence: {
    offset: number;
    globals: Map<string, string>;
    /** GNU tar's data for the member where the readings part, when it differs from tarfile's. */
    data?: { name: string; dataOffset: number; size: number };
  } | null = null;

  constructor(
    private readonly context: ParseContext,
    private readonly reader: Reader = "tarfile",
    globals: Map<string, string> = new Map(),
    /** Member data ranges and entries the tarfile reading already scanned and listed (shared with the GNU walk). */
    private readonly seen: { data: Set<string>; entries: Set<string> } = { data: new Set(), entries: new Set() },
  ) {
    this.globals = new Map(globals);
  }

  private get extendedPending(): boolean {
    return this.pending.length > 0;
  }

  async run(start = 0): Promise<void> {
    await this.walk(start);
    const divergence = this.divergence;
    if (this.reader === "tarfile" && divergence !== null) {
      // GNU tar reads the rest of the archive from another offset: walk its reading too.
      const gnu = new TarWalk(this.context, "gnu", divergence.globals, this.seen);
      const { data } = divergence;
      if (data !== undefined) {
        const available = Math.max(0, Math.min(data.size, this.context.source.size - data.dataOffset));
        if (available < data.size) {
          this.context.inconclusive(
            `${displayName(data.name)}: GNU tar reads ${data.size} bytes, the archive holds ${available}; only those were scanned`,
          );
        }
        if (available > 0) await gnu.scanData(data.name, data.dataOffset, available);
      }
      await gnu.walk(divergence.offset);
    }
  }

  private async walk(start: number): Promise<void> {
    const { source } = this.context;
    let offset = start;
    for (;;) {
      this.context.checkDeadline();
      if (offset >= source.size) {
        this.endWithoutMarker(offset);
        return;
      }
      const block = await source.read(offset, BLOCK);
      if (block.length < BLOCK) {
        this.stop("truncated", offset, `the archive ends inside a header (${block.length} of 512 bytes)`);
        return;
      }
      if (isZeroBlock(block)) {
        const next = await this.endMarker(offset);
        if (next === null) return;
        offset = next;
        continue;
      }
      let header: TarHeader;
      try {
        header = parseHeader(block);
      } catch (error) {
        if (!(error instanceof HeaderError)) throw error;
        this.stop("malformed", offset, error.message);
        return;
      }
      if (!this.extendedPending) this.memberStart = offset;
      const next = await this.entry(header, offset);
      if (next === null) return;
      offset = next;
    }
  }

  /** Handles one header; returns where the next header starts, or null when the walk must stop. */
  private async entry(header: TarHeader, offset: number): Promise<number | null> {
    const dataOffset = offset + BLOCK;
    const flag = header.typeFlag;
    if (flag === TYPE.gnuLongName || flag === TYPE.gnuLongLink) {
      const data = await this.extendedData(header, offset, LONG_NAME_MAX, "GNU long name");
      if (data === null) return null;
      const text = stringField(data, 0, data.length);
      if (this.pending.length >= EXTENDED_CHAIN_MAX) {
        this.stop("limit-exceeded", offset, `more than ${EXTENDED_CHAIN_MAX} extended headers before one member`);
        return null;
      }
      this.pending.push(flag === TYPE.gnuLongName ? { kind: "longName", text } : { kind: "longLink", text });
      return dataOffset + padded(header.size);
    }
    if (flag === TYPE.paxLocal || flag === TYPE.paxGlobal) {
      const data = await this.extendedData(header, offset, PAX_HEADER_MAX, "pax header");
      if (data === null) return null;
      let records: Map<string, string>;
      try {
        records = parsePaxRecords(data);
      } catch (error) {
        this.stop("malformed", offset, describeError(error));
        return null;
      }
      if (flag === TYPE.paxLocal && this.pending.length >= EXTENDED_CHAIN_MAX) {
        this.stop("limit-exceeded", offset, `more than ${EXTENDED_CHAIN_MAX} extended headers before one member`);
        return null;
      }
      for (const [key, value] of records) {
        if (flag === TYPE.paxGlobal) this.globals.set(key, value);
        // Free text a pax header carries (comment, xattrs, vendor keys); numbers and names are used above.
        if (!PAX_STRUCTURAL_KEYS.has(key) && !key.startsWith("GNU.sparse.") && value !== "") {
          const path = `pax.${key}`;
          this.context.emit({ kind: "text", text: value, key: path, role: "metadata", location: { path, offset } });
        }
      }
      if (flag === TYPE.paxLocal) {
        this.pending.push({ kind: "pax", records, withGlobals: new Map([...this.globals, ...records]) });
      }
      return dataOffset + padded(header.size);
    }
    if (flag === TYPE.gnuVolume && header.size === 0) return dataOffset; // a volume label, not a member
    return this.member(header, offset);
  }

  /** The data of a GNU long name or pax header, bounded; null (after reporting) when it cannot be read. */
  private async extendedData(
    header: TarHeader,
    offset: number,
    limit: number,
    label: string,
  ): Promise<Uint8Array | null> {
    const { source } = this.context;
    if (header.size > limit) {
      this.stop("limit-exceeded", offset, `${label} of ${header.size} bytes is over the ${limit}-byte bound`);
      return null;
    }
    if (offset + BLOCK + header.size > source.size) {
      this.stop("truncated", offset, `${label} of ${header.size} bytes runs past the end of the archive`);
      return null;
    }
    return source.read(offset + BLOCK, header.size);
  }

  private async member(header: TarHeader, offset: number): Promise<number | null> {
    const { context } = this;
    const { source, limits } = context;
    const pending = this.pending;
    this.pending = [];
    // Every pax map that applies to this member, for the sparse test and the size check.
    const paxMaps = [this.globals, ...pending.flatMap((item) => (item.kind === "pax" ? [item.records] : []))];
    const pax = new Map(paxMaps.flatMap((map) => [...map]));

    if (this.names.length >= limits.maxMembers) {
      this.stop("limit-exceeded", offset, `more than ${limits.maxMembers} members; the rest were not listed`);
      return null;
    }
    for (const map of paxMaps) {
      const paxSize = map.get("size");
      if (paxSize !== undefined && paxNumber(paxSize) === null) {
        this.stop("malformed", offset, `pax size ${JSON.stringify(paxSize.slice(0, 40))} is not a number`);
        return null;
      }
    }
    const flag = header.typeFlag;
    const sparse = flag === TYPE.gnuSparse || PAX_SPARSE_KEYS.some((key) => pax.has(key));
    const tarfile = tarfileReading(header, pending, this.globals);
    const gnu = gnuReading(header, pending, this.globals);
    const reading = this.reader === "tarfile" ? tarfile : gnu;
    const { name, linkTarget, size } = reading;
    this.names.push(name);

    let dataOffset = offset + BLOCK;
    if (flag === TYPE.gnuSparse && header.sparseExtended) {
      const after = await this.skipSparseExtensions(dataOffset);
      if (after === null) return null;
      dataOffset = after;
    }
    const location = { offset: this.memberStart };
    const fact: EntryFact = { kind: "entry", name, type: "file", size, location, container: FORMATS.tar };
    const type = memberType(header);
    const other =
      this.reader === "tarfile" ? this.compareReadings(tarfile, gnu, type, offset, dataOffset, pending.length) : null;
    const emitEntries = () => {
      this.emitEntry(fact);
      if (other !== null) this.emitEntry(other);
    };

    if (type !== "file") {
      fact.type = type;
      if (type === "hardlink" || type === "symlink") fact.linkTarget = linkTarget;
      emitEntries();
      if (this.reader === "tarfile" && size > 0 && DATALESS_TYPES.has(flag)) {
        this.anomaly(
          "unusual-structure",
          offset,
          `${displayName(name)}: a ${fact.type} header declares ${size} data bytes; Python's tarfile reads the next header right after it, other extractors skip the data`,
        );
      }
      return dataOffset + padded(reading.skip);
    }
    const regular = flag === TYPE.regular || flag === TYPE.regularOld || flag === TYPE.contiguous;
    if (!regular && !sparse) {
      this.anomaly(
        "unusual-structure",
        offset,
        `${displayName(name)}: type flag ${JSON.stringify(flag)} is not a standard member type; Python's tarfile extracts it as a regular file`,
      );
    }
    if (flag === TYPE.gnuMultiVolume) {
      context.inconclusive(
        `${displayName(name)} continues a member from a previous volume; only this part was scanned`,
      );
    }

    const end = dataOffset + size;
    const next = dataOffset + padded(reading.skip);
    const fits = end <= source.size && dataOffset + reading.skip <= source.size;
    const available = end <= source.size ? size : Math.max(0, source.size - dataOffset);
    if (sparse) {
      // The stored bytes are the non-hole segments, not the file: scanning them as the file would be wrong.
      const realSize = pax.get("GNU.sparse.realsize") ?? pax.get("GNU.sparse.size");
      fact.size = realSize !== undefined ? (paxNumber(realSize) ?? size) : header.sparseRealSize || size;
      emitEntries();
      context.inconclusive(`${displayName(name)} is a sparse member; its data was not reassembled or scanned`);
    } else {
      emitEntries();
    }
    if (!fits) {
      this.anomaly(
        "truncated",
        offset,
        `${displayName(name)}: declared data (${Math.max(size, reading.skip)} bytes at ${dataOffset}) runs past the end of the archive`,
      );
      context.inconclusive(
        `${displayName(name)}: the archive ends ${available} bytes into a member of ${size} bytes; ${sparse || available === 0 ? "nothing was scanned" : "only the bytes present were scanned"}`,
      );
    }
    if (!sparse && available > 0) await this.scanData(name, dataOffset, available);
    return fits ? next : null;
  }

  /** Scans member data once, whichever reading reaches it first. */
  private async scanData(name: string, dataOffset: number, length: number): Promise<void> {
    const key = `${dataOffset}:${length}`;
    if (this.seen.data.has(key)) return;
    this.seen.data.add(key);
    const childName = name === "" ? `member-${this.names.length}` : name;
    await this.context.scanChild(childName, new SliceSource(childName, this.context.source, dataOffset, length));
  }

  /** Emits an entry unless the other reading already listed the same header with the same name and target. */
  private emitEntry(fact: EntryFact): void {
    const key = JSON.stringify([fact.location?.offset, fact.name, fact.type, fact.linkTarget ?? "", fact.size]);
    if (this.seen.entries.has(key)) return;
    this.seen.entries.add(key);
    this.context.emit(fact);
  }

  /**
   * tarfile and GNU tar resolve stacked extended headers differently (tarfile: the first of two wins,
   * GNU tar: the last; GNU tar lets a pax path beat a long name in any order). Each disagreement is a
   * parser differential; GNU tar's reading of the entry is returned to be listed too, and where it steps
   * over a different amount of data, its data is scanned and the rest of the archive is walked its way.
   */
  private compareReadings(
    tarfile: Reading,
    gnu: Reading,
    type: EntryFact["type"],
    offset: number,
    dataOffset: number,
    extendedCount: number,
  ): EntryFact | null {
    const differences: string[] = [];
    if (tarfile.name !== gnu.name) differences.push(`name ${displayName(tarfile.name)} vs ${displayName(gnu.name)}`);
    if ((type === "symlink" || type === "hardlink") && tarfile.linkTarget !== gnu.linkTarget) {
      differences.push(`link target ${displayName(tarfile.linkTarget)} vs ${displayName(gnu.linkTarget)}`);
    }
    if (tarfile.size !== gnu.size) differences.push(`size ${tarfile.size} vs ${gnu.size}`);
    if (tarfile.skip !== gnu.skip) differences.push(`data stepped over ${tarfile.skip} vs ${gnu.skip} bytes`);
    if (differences.length === 0) return null;
    this.anomaly(
      "parser-differential",
      offset,
      `member header at ${offset}${extendedCount > 0 ? ` (after ${extendedCount} extended header${extendedCount === 1 ? "" : "s"})` : ""}: Python's tarfile and GNU tar read it differently: ${differences.join("; ")}`,
    );
    let other: EntryFact | null = null;
    if (tarfile.name !== gnu.name || tarfile.linkTarget !== gnu.linkTarget || tarfile.size !== gnu.size) {
      other = {
        kind: "entry",
        name: gnu.name,
        type,
        size: gnu.size,
        location: { offset: this.memberStart },
        container: FORMATS.tar,
      };
      if (type === "symlink" || type === "hardlink") other.linkTarget = gnu.linkTarget;
    }
    const gnuNext = dataOffset + padded(gnu.skip);
    // GNU tar's next header past the end of the archive: it reads nothing more (an unexpected EOF).
    const gnuReadsOn = Number.isSafeInteger(gnuNext) && gnuNext <= this.context.source.size;
    if (this.divergence === null && gnuReadsOn && (tarfile.skip !== gnu.skip || tarfile.size !== gnu.size)) {
      // Walked after this member: GNU tar's data for it, then every header from where GNU tar reads on.
      this.divergence = { offset: gnuNext, globals: new Map(this.globals) };
      if (type === "file" && gnu.size > 0 && gnu.size !== tarfile.size) {
        this.divergence.data = { name: gnu.name, dataOffset, size: gnu.size };
      }
    }
    return other;
  }

  /** Old GNU sparse maps continue in extension blocks while byte 504 is set; returns the data offset. */
  private async skipSparseExtensions(start: number): Promise<number | null> {
    let offset = start;
    for (let count = 0; count < SPARSE_EXTENSIONS_MAX; count++) {
      const block = await this.context.source.read(offset, BLOCK);
      if (block.length < BLOCK) {
        this.stop("truncated", offset, "the archive ends inside a sparse map extension block");
        return null;
      }
      offset += BLOCK;
      if (block[504] === 0) return offset;
    }
    this.stop("limit-exceeded", start, `more than ${SPARSE_EXTENSIONS_MAX} sparse map extension blocks`);
    return null;
  }

  /**
   * At the first zero block: the archive ends (as tarfile and GNU tar read it). Checks for the second
   * zero block and for bytes after the marker; a further archive there (`tar --ignore-zeros` reads
   * concatenated archives) is walked too. Returns where to continue, or null at the end.
   */
  private async endMarker(offset: number): Promise<number | null> {
    const { source } = this.context;
    const second = await source.read(offset + BLOCK, BLOCK);
    let end = offset + 2 * BLOCK;
    if (second.length < BLOCK || !isZeroBlock(second)) {
      end = offset + BLOCK;
      const problem =
        second.length < BLOCK && isZeroBlock(second)
          ? "the archive ends after a single zero block (the end marker is two)"
          : "a single zero block ends the archive, then more data follows";
      this.anomaly(second.length < BLOCK ? "truncated" : "unusual-structure", offset, problem);
    }
    if (this.extendedPending) {
      this.stop("truncated", offset, "an extended header (long name or pax) is not followed by its member");
      return null;
    }
    for (let chunkStart = end; chunkStart < source.size; chunkStart += TRAILING_CHUNK) {
      this.context.checkDeadline();
      const chunk = await source.read(chunkStart, TRAILING_CHUNK);
      const index = chunk.findIndex((byte) => byte !== 0);
      if (index < 0) continue;
      const found = chunkStart + index;
      const blockStart = end + Math.floor((found - end) / BLOCK) * BLOCK;
      const block = await source.read(blockStart, BLOCK);
      if (block.length === BLOCK && looksLikeTar(block)) {
        this.anomaly(
          "unusual-structure",
          blockStart,
          `another archive follows the end marker at ${blockStart}; tar --ignore-zeros extracts its members too`,
        );
        return blockStart;
      }
      this.anomaly("trailing-data", found, `${source.size - found} bytes after the end-of-archive marker`);
      return null;
    }
    return null;
  }

  private endWithoutMarker(offset: number): void {
    if (this.extendedPending) {
      this.stop("truncated", offset, "the archive ends after an extended header (long name or pax), before its member");
      return;
    }
    // Every member was read whole: the missing marker alone hides nothing, so it is not inconclusive.
    this.anomaly("truncated", offset, "the archive ends without its end-of-archive marker (two zero blocks)");
  }

  /** Reports why the walk stops and marks the archive inconclusive: what follows was not read. */
  private stop(code: AnomalyCode, offset: number, problem: string): void {
    const reading = this.reader === "gnu" ? "GNU tar's reading, " : "";
    this.anomaly(code, offset, `${reading}tar header at ${offset}: ${problem}`);
    this.context.inconclusive(`${reading}tar header at ${offset}: ${problem}; the rest of the archive was not read`);
  }

  private anomaly(code: AnomalyCode, offset: number, message: string): void {
    this.context.emit({ kind: "anomaly", code, message, location: { offset } });
  }
}

/** The member type a header gives (extended headers never change it). */
function memberType(header: TarHeader): EntryFact["type"] {
  const flag = header.typeFlag;
  // Old tars marked directories with a trailing slash on a regular-file header; tarfile reads a directory.
  if (flag === TYPE.directory || (flag === TYPE.regularOld && header.name.endsWith("/"))) return "directory";
  if (flag === TYPE.hardlink) return "hardlink";
  if (flag === TYPE.symlink) return "symlink";
  if (DATALESS_TYPES.has(flag)) return "other";
  return "file";
}

/** Types tarfile knows; it steps over the data of regular files and of every type it does not know. */
const TARFILE_SUPPORTED: ReadonlySet<string> = new Set([...DATALESS_TYPES, "0", "\0", "7", "L", "K", "S"]);
const TARFILE_REGULAR: ReadonlySet<string> = new Set(["0", "\0", "7", "S"]);

function applyPax(reading: Reading, map: ReadonlyMap<string, string>): void {
  const name = map.get("GNU.sparse.name") ?? map.get("path");
  if (name !== undefined) reading.name = name;
  const link = map.get("linkpath");
  if (link !== undefined) reading.linkTarget = link;
  const size = map.get("size");
  if (size !== undefined) reading.size = paxNumber(size) ?? 0;
}

/**
 * Python's tarfile: each extended header reads the next header recursively and then patches what it
 * returns, so the innermost is applied first and the first (outermost) header wins. The member's own
 * header takes the global records first; each pax header re-applies the globals as they were when it
 * was read, and a pax size moves the next header.
 */
function tarfileReading(header: TarHeader, pending: readonly Pending[], globals: ReadonlyMap<string, string>): Reading {
  const reading: Reading = { name: header.name, linkTarget: header.linkName, size: header.size, skip: 0 };
  let skip = header.size;
  applyPax(reading, globals);
  for (let index = pending.length - 1; index >= 0; index--) {
    const item = pending[index] as Pending;
    if (item.kind === "longName") reading.name = item.text;
    else if (item.kind === "longLink") reading.linkTarget = item.text;
    else {
      applyPax(reading, item.withGlobals);
      if (item.withGlobals.has("size")) skip = reading.size;
    }
  }
  const flag = header.typeFlag;
  const directory = memberType(header) === "directory";
  reading.skip = !directory && (TARFILE_REGULAR.has(flag) || !TARFILE_SUPPORTED.has(flag)) ? skip : 0;
  return reading;
}

/**
 * GNU tar: a later long name, long link or pax header replaces an earlier one of its kind whole; pax
 * records (local, then global) beat GNU long names; the data of every type but a directory is skipped.
 */
function gnuReading(header: TarHeader, pending: readonly Pending[], globals: ReadonlyMap<string, string>): Reading {
  let local: ReadonlyMap<string, string> = new Map();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (const item of pending) {
    if (item.kind === "longName") longName = item.text;
    else if (item.kind === "longLink") longLink = item.text;
    else local = item.records;
  }
  const merged = new Map([...globals, ...local]);
  const reading: Reading = {
    name: longName ?? header.name,
    linkTarget: longLink ?? header.linkName,
    size: header.size,
    skip: 0,
  };
  applyPax(reading, merged);
  reading.skip = header.typeFlag === TYPE.directory ? 0 : reading.size;
  return reading;
}

/** Member data is padded to whole blocks. */
function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function padded(size: number): number {
  return size + padding(size);
}

function displayName(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}
