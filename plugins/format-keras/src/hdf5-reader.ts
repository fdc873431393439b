import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TimeLimitError } from "@modelaudit/core";

/**
 * Reads the structure of an HDF5 file through h5wasm (the HDF5 C library compiled to WebAssembly):
 * attributes, groups, dataset types and shapes, links. Never reads dataset data. Every h5wasm call
 * runs inside one synchronous block per file, so scans sharing the module cannot interleave, and
 * every failure comes back as a reason instead of an exception.
 */

/** String attributes beyond this are not Keras metadata; they are noted, not read. */
const MAX_ATTRIBUTE_BYTES = 64 * 1024 * 1024;
const MAX_OBJECTS = 100_000;
const MAX_DEPTH = 32;
const MAX_ATTRIBUTES_PER_OBJECT = 4096;

export interface Hdf5Attribute {
  objectPath: string;
  name: string;
  /** Strings only; null for other types or values too large to read. */
  value: string | string[] | null;
  dtype: string;
}

export interface Hdf5Dataset {
  path: string;
  dtype: string;
  shape: number[];
  /** The object header's address (relative to the superblock), from its object reference; null if unknown. */
  address: number | null;
}

export interface Hdf5Link {
  path: string;
  /** External link, dangling soft link, or a virtual dataset's source file (read with the dataset). */
  kind: "external" | "broken-soft" | "virtual-source";
  target: string;
}

export interface Hdf5Contents {
  attributes: Hdf5Attribute[];
  datasets: Hdf5Dataset[];
  links: Hdf5Link[];
  /** Why the walk stopped early or skipped something, when it did. */
  problems: { code: "limit-exceeded" | "malformed"; message: string; path: string }[];
}

export type Hdf5Result = { ok: true; contents: Hdf5Contents } | { ok: false; reason: string };

// Typed loosely: only the members used here.
interface H5Metadata {
  type: number;
  size: number;
  total_size: number;
  signed?: boolean;
  vlen?: boolean;
  shape?: number[] | null;
  /** Set on virtual datasets: the files and datasets their data comes from. */
  virtual_sources?: { file_name: string; dset_name: string }[];
}
interface H5Attribute {
  metadata: H5Metadata;
  value: unknown;
}
interface H5Node {
  path: string;
  type: string;
  file_id: bigint | number;
}
interface H5Group extends H5Node {
  keys(): string[];
  get(name: string): unknown;
}
interface H5File extends H5Group {
  close(): number;
}
interface H5Stream {
  fd: number;
}
interface H5Module {
  activate_throwing_error_handler(): number;
  /** Every attribute name of an object, in storage order (a crafted file may repeat one). */
  get_attribute_names(fileId: bigint | number, path: string): string[];
  FS: { streams: (H5Stream | null | undefined)[]; close(stream: H5Stream): void };
}
interface H5Library {
  ready: Promise<H5Module>;
  File: new (path: string, mode: "r") => H5File;
  /** An attribute opened by name (HDF5's H5Aopen_by_name, as h5py opens `attrs[name]`). */
  Attribute: new (
    fileId: bigint | number,
    path: string,
    name: string,
  ) => H5Attribute;
}

let library: Promise<{ h5: H5Library; module: H5Module }> | undefined;
/**
 * Set when a file made HDF5 fail. HDF5 errors unwind through h5wasm's helpers as exceptions, which
 * can leave object ids open; HDF5 then keeps the failed file's state and may hand it to a later file
 * with the same inode (temporary copies reuse inodes). An aborted instance is unusable outright. So
 * after any failure the next file gets a fresh instance.
 */
let brokenReason: string | undefined;
let instances = 0;
let aborts = 0;

/** How many times the HDF5 library aborted in this process (for tests and diagnostics). */
export function hdf5AbortCount(): number {
  return aborts;
}
/**
 * Each fresh instance costs about 40 ms and 8 MB that stay in the ES module cache; past this many
 * the reader stays off for the rest of the process and HDF5 files are reported inconclusive.
 */
const MAX_INSTANCES = 32;

/** The file URL of h5wasm's Node build, so a fresh copy can be imported after an abort. */
function h5wasmNodeUrl(): string | undefined {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve === "function") {
    try {
      return resolve("h5wasm/node");
    } catch {
      // fall through to the search below
    }
  }
  const require = createRequire(import.meta.url);
  for (const directory of require.resolve.paths("h5wasm") ?? []) {
    const candidate = path.join(directory, "h5wasm", "dist", "node", "hdf5_hl.js");
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
  }
  return undefined;
}

async function instantiate(): Promise<{ h5: H5Library; module: H5Module }> {
  instances++;
  // h5wasm binds `console.error` while its module is made (before `ready` settles) and prints
  // "Aborted(...)" there when HDF5 aborts. The abort reaches us as an exception too (the file's
  // inconclusive reason), so the print is dropped: nothing on stderr under --quiet. Anything else it
  // prints goes where it went before.
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("Aborted(")) return;
    consoleError.apply(console, args);
  };
  try {
    let h5: H5Library;
    if (instances === 1) {
      h5 = (await import("h5wasm/node")) as unknown as H5Library;
    } else {
      const url = h5wasmNodeUrl();
      if (!url) throw new Error("h5wasm could not be located to replace an aborted instance");
      // A distinct URL is a distinct ES module instance, and so a new WebAssembly instance.
      h5 = (await import(/* @vite-ignore */ `${url}?instance=${instances}`)) as H5Library;
    }
    const module = await h5.ready;
    // HDF5 errors become JS exceptions carrying the error stack, instead of text printed to stderr.
    module.activate_throwing_error_handler();
    return { h5, module };
  } finally {
    console.error = consoleError;
  }
}

/** Loads h5wasm on first use, so scans without HDF5 files never instantiate the WebAssembly module. */
export function loadHdf5(): Promise<{ h5: H5Library; module: H5Module }> {
  if (brokenReason !== undefined && instances < MAX_INSTANCES) {
    brokenReason = undefined;
    library = undefined;
  }
  library ??= instantiate();
  return library;
}

const HDF5_CLASS = [
  "integer",
  "float",
  "time",
  "string",
  "bitfield",
  "opaque",
  "compound",
  "reference",
  "enum",
  "vlen",
  "array",
];

function describeType(metadata: H5Metadata): string {
  if (metadata.type === 0) return `${metadata.signed ? "int" : "uint"}${metadata.size * 8}`;
  if (metadata.type === 1) return `float${metadata.size * 8}`;
  if (metadata.type === 3) return "string";
  return HDF5_CLASS[metadata.type] ?? `hdf5-class-${metadata.type}`;
}

/** The deepest HDF5 error description in an error stack ("truncated file: eof = …"), or the message. */
export function describeHdf5Error(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const details = [...message.matchAll(/#\d+: .*? in [\w]+\(\): (.*)/g)].map((match) => match[1]!.trim());
  const text =
    details.at(-1) ??
    message
      .replace(/^Error: /, "")
      .split("\n")[0]!
      .trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isAbort(error: unknown): boolean {
  // WebAssembly.RuntimeError, checked by name: the lib settings here do not declare WebAssembly values.
  if (error instanceof Error && error.name === "RuntimeError") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Aborted\(|RuntimeError|unreachable|memory access out of bounds/.test(message);
}

class Walker {
  readonly contents: Hdf5Contents = { attributes: [], datasets: [], links: [], problems: [] };
  private objects = 0;

  constructor(
    private readonly checkDeadline: () => void,
    private readonly h5: H5Library,
    private readonly module: H5Module,
  ) {}

  private problem(code: "limit-exceeded" | "malformed", message: string, path: string): void {
    if (this.contents.problems.length < 100) this.contents.problems.push({ code, message, path });
  }

  attributes(node: H5Node): void {
    const stored = this.module.get_attribute_names(node.file_id, node.path);
    const names = [...new Set(stored)];
    if (names.length < stored.length) {
      // Only a crafted file repeats a name. HDF5 opens an attribute by name at its first copy, as
      // h5py (and so Keras) reads it: that value is judged; a reader going by index sees the others.
      const repeated = [...new Set(stored.filter((name, index) => stored.indexOf(name) !== index))];
      this.problem(
        "malformed",
        `attribute ${repeated.join(", ")} appears more than once on ${node.path}: h5py reads the first copy (judged here); readers going by index see the others, which were not read`,
        node.path,
      );
    }
    if (names.length > MAX_ATTRIBUTES_PER_OBJECT) {
      this.problem(
        "limit-exceeded",
        `${names.length} attributes on ${node.path}; only ${MAX_ATTRIBUTES_PER_OBJECT} read`,
        node.path,
      );
    }
    for (const name of names.slice(0, MAX_ATTRIBUTES_PER_OBJECT)) {
      const attribute = new this.h5.Attribute(node.file_id, node.path, name);
      const metadata = attribute.metadata;
      const entry: Hdf5Attribute = { objectPath: node.path, name, value: null, dtype: describeType(metadata) };
      if (metadata.type === 3) {
        const bytes = metadata.size * metadata.total_size;
        if (bytes > MAX_ATTRIBUTE_BYTES) {
          this.problem(
            "limit-exceeded",
            `string attribute ${name} on ${node.path} holds ${bytes} bytes; not read`,
            node.path,
          );
        } else {
          entry.value = toStrings(attribute.value);
        }
      }
      this.contents.attributes.push(entry);
    }
  }

  group(group: H5Group, depth: number): void {
    this.checkDeadline();
    this.attributes(group);
    if (depth >= MAX_DEPTH) {
      this.problem("limit-exceeded", `groups nested deeper than ${MAX_DEPTH} levels were not read`, group.path);
      return;
    }
    for (const key of group.keys()) {
      if (++this.objects > MAX_OBJECTS) {
        this.problem("limit-exceeded", `more than ${MAX_OBJECTS} objects; the rest were not read`, group.path);
        return;
      }
      const path = group.path === "/" ? `/${key}` : `${group.path}/${key}`;
      const child = group.get(key) as Partial<
        H5Group & { shape: number[] | null; metadata: H5Metadata; filename: string; obj_path: string; target: string }
      > | null;
      if (child === null || child === undefined) continue;
      if (child.type === "Group") this.group(child as H5Group, depth + 1);
      else if (child.type === "Dataset") {
        const metadata = child.metadata as H5Metadata;
        this.contents.datasets.push({
          path,
          dtype: describeType(metadata),
          shape: (child.shape ?? []).map(Number),
          address: objectAddress(child as { create_reference?: () => { ref_data: ArrayLike<number> } }),
        });
        // "." is the file itself; any other source is opened when the dataset is read.
        for (const source of (metadata.virtual_sources ?? []).slice(0, MAX_ATTRIBUTES_PER_OBJECT)) {
          if (source.file_name !== ".")
            this.contents.links.push({ path, kind: "virtual-source", target: source.file_name });
        }
        this.attributes(child as H5Node);
      } else if (child.type === "ExternalLink") {
        // The file is what libhdf5 opens when the link is followed; the object inside it is not a path.
        this.contents.links.push({ path, kind: "external", target: String(child.filename) });
      } else if (child.type === "BrokenSoftLink") {
        this.contents.links.push({ path, kind: "broken-soft", target: String(child.target) });
      }
    }
  }
}

/**
 * An object reference is the object header's address (hobj_ref_t, a little-endian haddr_t):
 * the one place libhdf5 says where a dataset's header is, which the tensor reader starts from.
 */
function objectAddress(dataset: { create_reference?: () => { ref_data: ArrayLike<number> } }): number | null {
  let bytes: ArrayLike<number>;
  try {
    bytes = dataset.create_reference?.().ref_data ?? [];
  } catch {
    return null;
  }
  if (bytes.length !== 8) return null;
  let value = 0n;
  for (let index = 7; index >= 0; index--) value = (value << 8n) | BigInt(bytes[index]! & 0xff);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(value);
}

function toStrings(value: unknown): string | string[] | null {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder("utf-8").decode(value);
  if (Array.isArray(value)) {
    const strings = value.flat(8).filter((item): item is string => typeof item === "string");
    return strings;
  }
  return null;
}

/**
 * Opens `path` (a real file path) read-only, reads its structure, closes it. Never throws for bad
 * input: a reason comes back instead.
 */
export async function readHdf5(path: string, checkDeadline: () => void): Promise<Hdf5Result> {
  if (brokenReason !== undefined && instances >= MAX_INSTANCES) {
    return {
      ok: false,
      reason: `the HDF5 reader is off: ${instances} instances were used up by failing files in this process (last: ${brokenReason})`,
    };
  }
  let loaded: { h5: H5Library; module: H5Module };
  try {
    loaded = await loadHdf5();
  } catch (error) {
    return { ok: false, reason: `the HDF5 reader could not be loaded: ${describeHdf5Error(error)}` };
  }
  const { h5, module } = loaded;
  const streams = module.FS.streams;
  const openBefore = new Set(streams.flatMap((stream, fd) => (stream ? [fd] : [])));
  let file: H5File | undefined;
  try {
    file = new h5.File(path, "r");
    const walker = new Walker(checkDeadline, h5, module);
    walker.group(file, 0);
    return { ok: true, contents: walker.contents };
  } catch (error) {
    const reason = describeHdf5Error(error);
    brokenReason = reason;
    if (isAbort(error)) {
      aborts++;
      // The instance's state is void: nothing more is asked of it below.
      file = undefined;
    }
    // A time limit passes through; everything else is the file's fault.
    if (TimeLimitError.isInstance(error)) throw error;
    return { ok: false, reason: isAbort(error) ? `the HDF5 library aborted on this file (${reason})` : reason };
  } finally {
    try {
      file?.close();
    } catch {
      // Closing a file whose metadata was corrupt can fail again; the streams are released below.
    }
    // HDF5's error handler opens a temporary stream per error and never closes it when it throws;
    // after an abort the file's own stream is left open too. Closing them is plain JS (host fds).
    for (const [fd, stream] of module.FS.streams.entries()) {
      if (stream && !openBefore.has(fd)) {
        try {
          module.FS.close(stream);
        } catch {
          // already closed
        }
      }
    }
  }
}
