import type { AnomalyFact, ParseContext, Source } from "@modelaudit/core";
import type { CentralEntry } from "./central-directory.js";
import {
  type LoaderTail,
  minizEndRecord,
  type Reading,
  type ReadingOutcome,
  readAsMiniz,
  readAsZipfile,
  zipfileEndRecord,
} from "./loader-readings.js";
import { walkLocalHeaders } from "./local-header-walk.js";
import { minizLocate, minizSortedOrder } from "./miniz-lookup.js";
import { LOCAL_HEADER_SIGNATURE, view } from "./zip-records.js";

/** Where one member's bytes are: the same key means the same content, whatever it is called. */
export function memberKey(entry: CentralEntry, base = 0): string {
  return `${entry.localOffset + base}:${entry.compressedSize}:${entry.method}`;
}

export interface MainReading {
  /** How the main reader found them, for messages (MAIN_LOADER or WALK_LOADER when no end record was found). */
  loader: string;
  /** The main reading labelled the archive a torch checkpoint: miniz is its loader. */
  torch: boolean;
  /** The main (lenient) reader's entries, offsets relative to `base`. */
  entries: CentralEntry[];
  base: number;
  endRecord: number;
}

export interface ReadingHooks {
  /** Content keys already scanned; updated as members are scanned here. */
  scanned: Set<string>;
  /** Scans one member whose local offset is absolute. */
  scanMember(entry: CentralEntry): Promise<void>;
  /** Records that a loader also knows already-scanned content under another name. */
  alias(entry: CentralEntry, name: string): void;
  anomalies: AnomalyFact[];
}

/** The main reader keeps the end record whose comment ends the file, as 7-Zip does (unzip takes the last). */
export const MAIN_LOADER = "the reader of the end record whose comment ends the file (7-Zip)";
export const WALK_LOADER = "a local-header walk (streaming extractors)";
const MAX_LISTED = 6;

/**
 * Reads the archive as each real loader would, scans whatever any of them reaches that the main
 * reading did not, and reports every disagreement between them as a parser differential.
 */
export async function readAsEveryLoader(
  context: ParseContext,
  main: MainReading,
  hooks: ReadingHooks,
  loaderTail: LoaderTail,
): Promise<void> {
  const { tail, tailStart } = loaderTail;
  const { source, limits } = context;
  const mainReading: Reading = {
    kind: main.loader === WALK_LOADER ? "walk" : "main",
    loader: main.loader,
    endRecord: main.endRecord,
    entries: main.entries.map((entry) => ({ ...entry, localOffset: entry.localOffset + main.base })),
  };
  const minizEnd = minizEndRecord(tail, tailStart, source.size);
  const zipfileEnd = zipfileEndRecord(tail, tailStart, source.size);
  const outcomes: [string, ReadingOutcome][] = [
    [
      "torch.load (miniz)",
      minizEnd === null ? { failure: "no end record" } : await readAsMiniz(source, minizEnd, limits),
    ],
    [
      "zipfile (numpy.load, Keras) and unzip",
      zipfileEnd === null ? { failure: "no end record" } : await readAsZipfile(source, zipfileEnd, limits),
    ],
  ];
  const central: Reading[] = [mainReading];
  for (const [loader, outcome] of outcomes) {
    if ("reading" in outcome) central.push(outcome.reading);
    else if (outcome.limit) context.inconclusive(`${loader} reading not checked: ${outcome.failure}`);
  }

  // Streaming extractors walk local headers from the start of the zip data.
  let lowest = Number.POSITIVE_INFINITY;
  for (const reading of central) {
    for (const entry of reading.entries) {
      if (entry.localOffset >= 0) lowest = Math.min(lowest, entry.localOffset);
    }
  }
  const head = view(await source.read(0, 4));
  const startsWithHeader = head.byteLength === 4 && head.getUint32(0, true) === LOCAL_HEADER_SIGNATURE;
  const walkStart = startsWithHeader ? 0 : Number.isFinite(lowest) ? lowest : null;
  const walk =
    walkStart === null || walkStart >= source.size || main.loader === WALK_LOADER
      ? null
      : await walkLocalHeaders(
          source,
          limits.maxMembers,
          () => context.checkDeadline(),
          walkStart,
          knownSizes(central),
        );

  const named = new Set<string>();
  for (const entry of mainReading.entries) named.add(`${entry.name}\u0000${memberKey(entry)}`);
  for (const reading of central.slice(1)) await scanReading(source, reading, hooks, named, true);
  const centralKeys = new Set(central.flatMap((reading) => reading.entries.map((entry) => memberKey(entry))));
  if (walk?.unsized && !centralOffsets(central).has(walk.unsized.offset)) {
    // A local header no directory lists, whose data has no findable end: what a streaming reader
    // extracts from it cannot be told.
    const { name, offset } = walk.unsized;
    differential(
      hooks,
      `${WALK_LOADER} meets a member no central directory lists, ${JSON.stringify(name)}@${offset}, whose length it cannot find`,
      offset,
    );
    context.inconclusive(
      `${JSON.stringify(name)} at ${offset}: a local header no central directory lists, of unknown length; not scanned`,
    );
  }
  if (walk) {
    const hidden = walk.entries.filter((entry) => !centralKeys.has(memberKey(entry)));
    await scanReading(
      source,
      { kind: "walk", loader: WALK_LOADER, endRecord: -1, entries: hidden },
      hooks,
      named,
      false,
    );
    if (hidden.length > 0) {
      differential(
        hooks,
        `${WALK_LOADER} finds ${hidden.length} member(s) that no central directory lists: ${list(hidden.map((entry) => `${entry.name}@${entry.localOffset}`))}`,
        hidden[0]?.localOffset,
      );
    }
  }

  compareCentralReadings(central, hooks);
  if (main.torch) compareLookups(central, hooks);
  reportUnicodePaths(central, hooks, named);
}

/**
 * Same-named members: torch.load opens the entry miniz's sorted, case-insensitive search lands on,
 * zipfile-based readers the last entry with exactly that name. Different bytes are a differential.
 */
function compareLookups(central: Reading[], hooks: ReadingHooks): void {
  const miniz = central.find((reading) => reading.kind === "miniz");
  const zipfile = central.find((reading) => reading.kind === "zipfile");
  if (!miniz || !zipfile) return;
  const names = miniz.entries.map((entry) => entry.nameBytes ?? new TextEncoder().encode(entry.name));
  const groups = new Map<string, number[]>();
  names.forEach((bytes, index) => {
    const folded = latin1Lower(bytes);
    const group = groups.get(folded);
    if (group) group.push(index);
    else groups.set(folded, [index]);
  });
  let order: number[] | null = null;
  for (const indices of groups.values()) {
    if (indices.length < 2) continue;
    order ??= minizSortedOrder(names);
    const asked = new Set<string>();
    for (const index of indices) {
      const wanted = (miniz.entries[index] as CentralEntry).name;
      if (asked.has(wanted)) continue;
      asked.add(wanted);
      const picked = minizLocate(names, order, names[index] as Uint8Array);
      const opened = lastNamed(zipfile.entries, wanted);
      if (picked === null || opened === undefined) continue;
      const minizEntry = miniz.entries[picked] as CentralEntry;
      if (memberKey(minizEntry) === memberKey(opened)) continue;
      differential(
        hooks,
        `for ${JSON.stringify(wanted)} torch.load (miniz) opens the member at ${minizEntry.localOffset}, zipfile the one at ${opened.localOffset}`,
        opened.localOffset,
      );
    }
  }
}

/** zipfile's `NameToInfo`: the last entry with the name wins. */
function lastNamed(entries: readonly CentralEntry[], name: string): CentralEntry | undefined {
  for (let index = entries.length - 1; index >= 0; index--) {
    if ((entries[index] as CentralEntry).name === name) return entries[index];
  }
  return undefined;
}

function latin1Lower(bytes: Uint8Array): string {
  let folded = "";
  for (const byte of bytes) folded += String.fromCharCode(byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);
  return folded;
}

function centralOffsets(central: Reading[]): Set<number> {
  return new Set(central.flatMap((reading) => reading.entries.map((entry) => entry.localOffset)));
}

/** Compressed sizes the central directories give per local header, for members with data descriptors. */
function knownSizes(central: Reading[]): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const reading of central) {
    for (const entry of reading.entries) {
      if (!sizes.has(entry.localOffset)) sizes.set(entry.localOffset, entry.compressedSize);
    }
  }
  return sizes;
}

async function hasLocalHeader(source: Source, offset: number): Promise<boolean> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + 4 > source.size) return false;
  const bytes = await source.read(offset, 4);
  return bytes.length === 4 && view(bytes).getUint32(0, true) === LOCAL_HEADER_SIGNATURE;
}

async function scanReading(
  source: Source,
  reading: Reading,
  hooks: ReadingHooks,
  named: Set<string>,
  alias: boolean,
): Promise<void> {
  for (const entry of reading.entries) {
    const key = memberKey(entry);
    if (alias && entry.loaderName !== undefined && !named.has(`${entry.loaderName}\u0000${key}`)) {
      named.add(`${entry.loaderName}\u0000${key}`);
      hooks.alias(entry, entry.loaderName);
    }
    const name = `${entry.name}\u0000${key}`;
    if (named.has(name)) continue;
    named.add(name);
    if (hooks.scanned.has(key)) {
      if (alias) hooks.alias(entry, entry.name);
      continue;
    }
    hooks.scanned.add(key);
    // A member with no local header where this loader looks fails to open in that loader: nothing to scan.
    if (!(await hasLocalHeader(source, entry.localOffset))) continue;
    await hooks.scanMember(entry);
  }
}

/** Every pair of central-directory readings must agree on which names lead to which bytes. */
function compareCentralReadings(central: Reading[], hooks: ReadingHooks): void {
  const sets = central.map(
    (reading) => new Set(reading.entries.map((entry) => `${entry.name}\u0000${memberKey(entry)}`)),
  );
  const withEnd = central.filter((reading) => reading.endRecord >= 0);
  const ends = new Set(withEnd.map((reading) => reading.endRecord));
  if (ends.size > 1) {
    differential(
      hooks,
      `loaders pick different end records: ${withEnd.map((reading) => `${reading.loader} at ${reading.endRecord}`).join(", ")}`,
      Math.min(...ends),
    );
  }
  for (let left = 0; left < central.length; left++) {
    for (let right = left + 1; right < central.length; right++) {
      const a = sets[left] as Set<string>;
      const b = sets[right] as Set<string>;
      const onlyLeft = [...a].filter((item) => !b.has(item));
      const onlyRight = [...b].filter((item) => !a.has(item));
      if (onlyLeft.length === 0 && onlyRight.length === 0) continue;
      const describe = (items: string[]): string => (items.length === 0 ? "nothing" : list(items.map(atOffset)));
      differential(
        hooks,
        `${(central[left] as Reading).loader} and ${(central[right] as Reading).loader} read different members: only the first reaches ${describe(onlyLeft)}; only the second reaches ${describe(onlyRight)}`,
      );
    }
  }
}

/** unzip and 7-Zip name a member by its Unicode Path extra field when its CRC matches the header name. */
function reportUnicodePaths(central: Reading[], hooks: ReadingHooks, named: Set<string>): void {
  for (const reading of central) {
    for (const entry of reading.entries) {
      if (entry.unicodePath === undefined || entry.unicodePath === entry.name) continue;
      const name = `${entry.unicodePath}\u0000${memberKey(entry)}`;
      if (named.has(name)) continue;
      named.add(name);
      hooks.alias(entry, entry.unicodePath);
      differential(
        hooks,
        `member ${JSON.stringify(entry.name)} is extracted as ${JSON.stringify(entry.unicodePath)} by unzip and 7-Zip (Unicode Path extra field)`,
        entry.headerOffset,
      );
    }
  }
}

/** `name\0offset:size:method` as `name@offset`. */
function atOffset(item: string): string {
  const split = item.lastIndexOf("\u0000");
  return `${item.slice(0, split)}@${item.slice(split + 1).split(":")[0]}`;
}

function differential(hooks: ReadingHooks, message: string, offset?: number): void {
  hooks.anomalies.push({
    kind: "anomaly",
    code: "parser-differential",
    message,
    ...(offset !== undefined && Number.isSafeInteger(offset) ? { location: { offset } } : {}),
  });
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).map((item) => JSON.stringify(item));
  return items.length > MAX_LISTED ? `${shown.join(", ")} and ${items.length - MAX_LISTED} more` : shown.join(", ");
}
