import { type AnomalyCode, type EntryFact, type ParseContext, SliceSource } from "@modelaudit/core";
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

/** Names and metadata that extended headers (GNU L/K, pax x/g) hand to the next member header. */
interface Extended {
  longName?: string;
  longLink?: string;
  pax: Map<string, string>;
}

class TarWalk {
  readonly names: string[] = [];
  private readonly globals = new Map<string, string>();
  private extended: Extended = { pax: new Map() };
  private extendedPending = false;
  /** Where the current member's first header (extended or not) starts, as tarfile's `offset` reports it. */
  private memberStart = 0;

  constructor(private readonly context: ParseContext) {}

  async run(): Promise<void> {
    const { source } = this.context;
    let offset = 0;
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
      if (flag === TYPE.gnuLongName) this.extended.longName = text;
      else this.extended.longLink = text;
      this.extendedPending = true;
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
      const target = flag === TYPE.paxGlobal ? this.globals : this.extended.pax;
      for (const [key, value] of records) {
        target.set(key, value);
        // Free text a pax header carries (comment, xattrs, vendor keys); numbers and names are used above.
        if (!PAX_STRUCTURAL_KEYS.has(key) && !key.startsWith("GNU.sparse.") && value !== "") {
          const path = `pax.${key}`;
          this.context.emit({ kind: "text", text: value, key: path, role: "metadata", location: { path, offset } });
        }
      }
      if (flag === TYPE.paxLocal) this.extendedPending = true;
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
    const pax = new Map([...this.globals, ...this.extended.pax]);
    const { longName, longLink } = this.extended;
    this.extended = { pax: new Map() };
    this.extendedPending = false;

    if (this.names.length >= limits.maxMembers) {
      this.stop("limit-exceeded", offset, `more than ${limits.maxMembers} members; the rest were not listed`);
      return null;
    }
    const flag = header.typeFlag;
    const sparse = flag === TYPE.gnuSparse || PAX_SPARSE_KEYS.some((key) => pax.has(key));
    const name = pax.get("GNU.sparse.name") ?? pax.get("path") ?? longName ?? header.name;
    const linkTarget = pax.get("linkpath") ?? longLink ?? header.linkName;
    let size = header.size;
    const paxSize = pax.get("size");
    if (paxSize !== undefined) {
      const parsed = paxNumber(paxSize);
      if (parsed === null) {
        this.stop("malformed", offset, `pax size ${JSON.stringify(paxSize.slice(0, 40))} is not a number`);
        return null;
      }
      size = parsed;
    }
    this.names.push(name);

    let dataOffset = offset + BLOCK;
    if (flag === TYPE.gnuSparse && header.sparseExtended) {
      const after = await this.skipSparseExtensions(dataOffset);
      if (after === null) return null;
      dataOffset = after;
    }
    const location = { offset: this.memberStart };
    const fact: EntryFact = { kind: "entry", name, type: "file", size, location };

    if (DATALESS_TYPES.has(flag)) {
      fact.type =
        flag === TYPE.directory
          ? "directory"
          : flag === TYPE.hardlink
            ? "hardlink"
            : flag === TYPE.symlink
              ? "symlink"
              : "other";
      if (fact.type === "hardlink" || fact.type === "symlink") fact.linkTarget = linkTarget;
      context.emit(fact);
      if (size > 0) {
        this.anomaly(
          "unusual-structure",
          offset,
          `${displayName(name)}: a ${fact.type} header declares ${size} data bytes; Python's tarfile reads the next header right after it, other extractors skip the data`,
        );
      }
      return dataOffset;
    }
    if (flag === TYPE.regularOld && header.name.endsWith("/")) {
      // Old tars marked directories with a trailing slash on a regular-file header; tarfile reads a directory.
      fact.type = "directory";
      context.emit(fact);
      return dataOffset + padded(size);
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
    const fits = end <= source.size;
    const available = fits ? size : Math.max(0, source.size - dataOffset);
    if (sparse) {
      // The stored bytes are the non-hole segments, not the file: scanning them as the file would be wrong.
      const realSize = pax.get("GNU.sparse.realsize") ?? pax.get("GNU.sparse.size");
      fact.size = realSize !== undefined ? (paxNumber(realSize) ?? size) : header.sparseRealSize || size;
      context.emit(fact);
      context.inconclusive(`${displayName(name)} is a sparse member; its data was not reassembled or scanned`);
    } else {
      context.emit(fact);
    }
    if (!fits) {
      this.anomaly(
        "truncated",
        offset,
        `${displayName(name)}: declared data (${size} bytes at ${dataOffset}) runs past the end of the archive`,
      );
      context.inconclusive(
        `${displayName(name)}: the archive ends ${available} bytes into a member of ${size} bytes; ${sparse || available === 0 ? "nothing was scanned" : "only the bytes present were scanned"}`,
      );
    }
    if (!sparse && available > 0) {
      const childName = name === "" ? `member-${this.names.length}` : name;
      await context.scanChild(childName, new SliceSource(childName, source, dataOffset, available));
    }
    return fits ? end + padding(size) : null;
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
    this.anomaly(code, offset, `tar header at ${offset}: ${problem}`);
    this.context.inconclusive(`tar header at ${offset}: ${problem}; the rest of the archive was not read`);
  }

  private anomaly(code: AnomalyCode, offset: number, message: string): void {
    this.context.emit({ kind: "anomaly", code, message, location: { offset } });
  }
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
