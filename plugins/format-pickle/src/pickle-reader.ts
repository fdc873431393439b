import {
  type AnomalyCode,
  BufferSource,
  dataByteLength,
  type Fact,
  FORMATS,
  type ParseContext,
  type ReferenceFact,
  type TensorDataRange,
  type TensorFact,
} from "@modelaudit/core";
import { decodeEncodedPickle } from "./embedded-payloads.js";
import { looksLikeEmbeddedPickle, looksLikePickle, startsTruncatedPickle } from "./looks-like-pickle.js";
import { isMobileBytecodeMember, mobileFunctions } from "./mobile-bytecode.js";
import { type MachineHooks, PickleMachine, type StreamResult } from "./pickle-machine.js";
import { scalarFacts } from "./scalar-facts.js";
import { emitSideFiles } from "./side-files.js";
import { SourceWindow } from "./source-window.js";
import { isTorchLegacyMagic } from "./torch-legacy.js";
import { isTorchStorageMember, storageClass, storageRecords } from "./torch-storages.js";

/** Lite-interpreter operators that open files, and string constants that look like file paths. */
const FILE_OPERATORS = new Set(["aten::save", "aten::from_file"]);
const PATH_LIKE = /^(\/|\.{1,2}[\\/]|~|file:|[A-Za-z]:[\\/])/;

import { type TorchStorage, torchStorages } from "./torch-tensors.js";
import type { Value } from "./values.js";

/** Most pickles read back to back from one source. */
const MAX_STREAMS = 10_000;
/** Most second readings (streams followed from a frame end as well as from a STOP) per source. */
const MAX_ALTERNATE_READINGS = 8;
/** Most joblib NDArrayWrapper side files judged per source. */
const MAX_SIDE_FILES = 1024;
/** Most embedded pickles handed to the engine from one source. */
const MAX_CHILDREN = 256;
/** Reruns of a stream for skipped bytes a second reading needed; past them every skipped byte is read. */
const MAX_UNREAD_RERUNS = 64;

const FORMAT_LABELS: [prefix: string, label: string][] = [
  ["joblib", FORMATS.joblib],
  ["sklearn.externals.joblib", FORMATS.joblib],
  ["dill", FORMATS.dill],
  ["cloudpickle", FORMATS.cloudpickle],
];

/** Reads every pickle stream of one source and emits what it finds. */
export class PickleReader {
  private readonly labels = new Set<string>();
  private readonly children: { name: string; bytes: Uint8Array }[] = [];
  private childrenDropped = false;
  /** joblib NDArrayWrapper side files, emitted once the streams are read (with where they resolve). */
  private readonly sideFiles: ReferenceFact[] = [];
  private sideFilesDropped = false;
  private alternateReadings = 0;
  private readonly extensions = new Map<number, [string, string]>();
  private readonly hooks: MachineHooks;
  /** A torch zip's storage member: raw tensor bytes to torch.load, which never unpickles it. */
  private readonly storageMember: boolean;

  /**
   * What streams are parsed in: the window's head while it may grow (a legacy torch file's pickles),
   * the whole window once read (other pickles), or the window with its tail read (the bytes after a
   * legacy torch file's storages, parsed from their start on).
   */
  private data: Uint8Array;
  /** `data` is the window's head (and may grow). */
  private inHead = true;

  /**
   * `window` holds the source's first bytes: all of them, or, for a source over the in-memory limit,
   * that many. Pickle streams must lie inside it; a legacy torch file's storages may run past it
   * (only their 8-byte size records are read, from the source).
   */
  constructor(
    private readonly window: SourceWindow,
    private readonly context: ParseContext,
  ) {
    this.data = window.head;
    this.storageMember = isTorchStorageMember(context.memberChain.at(-1));
    this.hooks = {
      emit: (fact) => context.emit(fact),
      embeddedBytes: (offset, bytes) => {
        const name = embeddedChildName(offset, bytes);
        if (name !== undefined) this.addChild(name, bytes);
        return name;
      },
      embeddedText: (offset, bytes) => {
        const decoded = decodeEncodedPickle(bytes);
        if (decoded) this.addChild(`${decoded.kind}@${offset}`, decoded.bytes);
      },
      importedModule: (module) => {
        for (const [prefix, label] of FORMAT_LABELS) {
          if ((module === prefix || module.startsWith(`${prefix}.`)) && !this.labels.has(label)) {
            this.labels.add(label);
            context.addFormat(label);
          }
        }
      },
      sideFile: (fact) => {
        if (this.sideFiles.length < MAX_SIDE_FILES) this.sideFiles.push(fact);
        else this.sideFilesDropped = true;
      },
      checkDeadline: () => context.checkDeadline(),
    };
  }

  /** Parses every stream, then hands embedded pickles to the engine. */
  async read(): Promise<void> {
    await this.readStreams();
    await emitSideFiles(this.context, this.sideFiles);
    if (this.sideFilesDropped) {
      this.context.inconclusive(`more than ${MAX_SIDE_FILES} joblib side-file arrays; the rest were not judged`);
    }
    for (const child of this.children) {
      await this.context.scanChild(child.name, new BufferSource(child.name, child.bytes));
    }
    if (this.childrenDropped) {
      this.context.inconclusive(`more than ${MAX_CHILDREN} embedded pickles; the rest were not scanned`);
    }
  }

  private get windowed(): boolean {
    return this.window.bytes.length < this.context.source.size || this.window.limitReached;
  }

  private async readStreams(): Promise<void> {
    const first = await this.stream(0, 0);
    if (!first) return;
    if (isTorchLegacyMagic(first.value)) {
      this.context.addFormat(FORMATS.pytorchLegacy);
      await this.readTorchLegacy(first.end);
      return;
    }
    await this.window.readAll();
    this.useWholeWindow();
    const tarMember = torchTarMember(this.context.memberChain.at(-1), first.value);
    if (tarMember) {
      this.context.addFormat(FORMATS.pytorchLegacy);
      await this.readTorchTarMember(tarMember, first);
      return;
    }
    this.declareZipStorages(first);
    this.declareMobileOperators(first);
    await this.frameReading(first, 0);
    // A storage member is raw tensor bytes to torch.load: nothing reads on after a lucky STOP.
    if (this.storageMember) return;
    await this.readFollowing(first.end, 1);
  }

  /**
   * A lite-interpreter archive's `bytecode.pkl`: each operator its functions run is a TorchScript
   * graph node (judged as the code's operators are), and while a function calls a file operator
   * (aten::save, aten::from_file) its path-like string constants are files it may open.
   */
  private declareMobileOperators(result: StreamResult): void {
    const member = this.context.memberChain.at(-1);
    if (!isMobileBytecodeMember(member) || result.value === undefined) return;
    for (const fn of mobileFunctions(result.value, () => this.context.checkDeadline())) {
      const location = { path: member as string };
      for (const operator of fn.operators) {
        this.context.emit({
          kind: "graph-node",
          framework: "torchscript",
          op: operator.name,
          domain: operator.namespace,
          name: fn.name,
          attributes: {
            kind: "mobile-bytecode",
            operator: `${operator.namespace}::${operator.name}`,
            overload: operator.overload,
          },
          location,
        });
      }
      if (!fn.operators.some((operator) => FILE_OPERATORS.has(`${operator.namespace}::${operator.name}`))) continue;
      for (const target of fn.strings) {
        if (target.length > 4096 || !PATH_LIKE.test(target)) continue;
        this.context.emit({ kind: "reference", target, referenceKind: "path", key: fn.name, location });
      }
    }
  }

  /**
   * A torch zip's pickle (`archive/data.pkl`, TorchScript's `archive/constants.pkl`) keeps its
   * tensors' bytes in sibling members: storage `<key>` of `<dir>/<name>.pkl` is `<dir>/<name>/<key>`.
   * One fact per storage, named by the state dict (tensors that share it are aliases).
   */
  private declareZipStorages(result: StreamResult): void {
    const member = this.context.memberChain.at(-1);
    if (member === undefined || !member.endsWith(".pkl") || result.value === undefined) return;
    // The lite interpreter reads a bytecode.pkl's storages from constants/ (since bytecode v5 its
    // writer puts no tensors in a bytecode/ folder): `<dir>/bytecode.pkl` keys name `<dir>/constants/<key>`.
    const directory = isMobileBytecodeMember(member)
      ? `${member.slice(0, -"bytecode.pkl".length)}constants`
      : member.slice(0, -".pkl".length);
    const value = result.value;
    // TorchScript's constants are a tuple its code reads as CONSTANTS.c0, CONSTANTS.c1...
    const roots: { prefix: string; value: Value }[] =
      member.endsWith("constants.pkl") && value.type === "tuple"
        ? value.items.map((item, index) => ({ prefix: `CONSTANTS.c${index}`, value: item }))
        : [{ prefix: "", value }];
    for (const storage of torchStorages(roots, result.persistentIds)) {
      this.context.checkDeadline();
      const numel = storage.record.numel;
      const byteLength = numel === undefined ? undefined : numel * (storage.record.elementSize ?? Number.NaN);
      const data =
        byteLength === undefined
          ? undefined
          : { member: `${directory}/${storage.record.key}`, offset: 0, length: byteLength };
      this.declareStorage(storage, numel, data, { stream: 0 });
    }
  }

  /**
   * One torch storage as a tensor fact; data only when its type and length are known and agree
   * with the shape, and the reason otherwise.
   */
  private declareStorage(
    storage: TorchStorage,
    numel: number | undefined,
    data: TensorDataRange | undefined,
    location: TensorFact["location"],
  ): void {
    const { record, name } = storage;
    const shape = storage.shape ?? (numel === undefined ? [] : [numel]);
    const fact: TensorFact = {
      kind: "tensor",
      name,
      dtype: record.dtype ?? "opaque",
      formatDtype: record.type,
      shape,
      byteOrder: "little",
    };
    if (storage.aliases.length > 0) fact.aliases = storage.aliases;
    if (location) fact.location = location;
    const expected = record.dtype === "opaque" ? data?.length : dataByteLength(fact.dtype, shape);
    if (record.dtype === undefined || numel === undefined) {
      const why = record.dtype === undefined ? `has unknown storage type ${record.type}` : "declares no element count";
      this.context.emit(fact);
      this.context.inconclusive(`torch tensor ${name} (storage ${record.key}) ${why}; its data was not located`);
      return;
    }
    if (data === undefined || !Number.isSafeInteger(data.length) || expected !== data.length) {
      this.context.emit(fact);
      const message = `torch tensor ${name} (storage ${record.key}): ${numel} × ${record.type} does not make a readable byte length`;
      this.context.emit({ kind: "anomaly", code: "malformed", message, ...(location ? { location } : {}) });
      this.context.inconclusive(message);
      return;
    }
    fact.data = data;
    this.context.emit(fact);
  }

  /**
   * A stream whose STOP sits inside a FRAME that runs on: the pure-Python unpickler (and the C one
   * over an in-memory buffer) has consumed the whole frame, so a loader reading on starts the next
   * stream at the frame's end; the C unpickler over a file starts right after STOP. Both are read.
   */
  private async frameReading(result: StreamResult, index: number): Promise<void> {
    if (result.frameEnd === undefined || !this.frameDifferential(result, index)) return;
    await this.readFollowing(result.frameEnd, index + 1);
  }

  /**
   * Reports a stream whose STOP sits inside a FRAME that runs on, and whether a second reading from
   * the frame's end may follow (they are bounded per source). CPython's C unpickler over a buffered
   * file takes a frame that fits its 8 KiB peek from the peek buffer and leaves the file right after
   * STOP; a larger frame, or a file object without peek, it reads with one read(), leaving the file
   * at the frame's end (Modules/_pickle.c `_Unpickler_ReadFromFile`, `load_frame`). The pure-Python
   * unpickler always reads whole frames.
   */
  private frameDifferential(result: StreamResult, index: number): boolean {
    if (result.frameEnd === undefined || this.alternateReadings >= MAX_ALTERNATE_READINGS) return false;
    this.alternateReadings++;
    this.anomaly(
      "parser-differential",
      `stream ${index} stops at offset ${result.end} inside a FRAME that ends at ${result.frameEnd}: readers that consumed the frame read the next stream from its end, others from the STOP`,
      result.end,
      index,
    );
    return true;
  }

  /**
   * Runs one stream; undefined (after reporting) when it did not reach STOP. A stream whose reading
   * depended on the end of a head that can grow is run again over a longer head: what it reported
   * until then is held back and dropped, so each stream reports once, as over the whole window.
   */
  private async stream(start: number, index: number): Promise<StreamResult | undefined> {
    let unreadReruns = 0;
    for (;;) {
      const growable = this.inHead && !this.window.complete && !this.window.limitReached;
      if (!growable && !this.window.hasHoles) return this.settle(this.run(start, index, this.hooks), index);
      const held: (() => void)[] = [];
      const extensions = new Map(this.extensions);
      const result = this.run(start, index, holdBack(this.hooks, held));
      let rerun = false;
      if (result.unreadTouched) {
        // A second reading went into a skipped array's bytes: read them (all of them after many).
        const { start: from, end: to } = result.unreadTouched;
        const read =
          unreadReruns++ < MAX_UNREAD_RERUNS
            ? await this.window.readSkipped(
                Math.max(0, from - this.window.sizes.unreadSlack),
                to + this.window.sizes.unreadSlack,
              )
            : await this.window.readSkipped(0, this.window.bytes.length);
        if (!read) {
          this.context.inconclusive(
            `pickle stream ${index}: a reading needs joblib array bytes at offset ${from} past the in-memory limit; they were not read`,
          );
        }
        rerun = read;
      } else if (growable && result.reachedEnd) {
        await this.growFor(result, index);
        rerun = true;
      }
      if (rerun) {
        // What the cut run registered is undone: the rerun registers it again, in its own order.
        this.extensions.clear();
        for (const [code, name] of extensions) this.extensions.set(code, name);
        if (this.inHead) this.data = this.window.head;
        continue;
      }
      for (const release of held) release();
      return this.settle(result, index);
    }
  }

  /** A longer head for a stream whose reading depended on where the head ended. */
  private async growFor(result: StreamResult, index: number): Promise<void> {
    const array = result.failure?.arrayData;
    // Skipping arrays pays off in large files only: smaller ones are read whole (no reruns).
    const sparse = index === 0 && this.context.source.size > this.window.sizes.skipArraysFrom;
    // A joblib array past the head (the file's first stream): its bytes are skipped, not read; the
    // engine reads them as tensor data, and the head goes on after them.
    if (sparse && array && this.window.skip(array.start + this.window.sizes.arrayHeadKept, array.end)) {
      await this.window.grow(array.end);
    } else if (index === 0 && !this.window.hasHoles && (!sparse || !this.labels.has(FORMATS.joblib))) {
      // A legacy torch file's first stream is its few-byte magic: a first stream longer than the
      // head belongs to another kind of pickle, which is read whole (a large joblib pickle's head
      // grows instead, so that the arrays after it can be skipped).
      await this.window.readAll();
    } else {
      await this.window.grow(result.failure?.declaredEnd);
    }
  }

  private run(start: number, index: number, hooks: MachineHooks): StreamResult {
    const machine = new PickleMachine(this.data, hooks, {
      stream: index,
      mode: "full",
      joblibArrays: true,
      extensions: this.extensions,
      ...(this.window.hasHoles ? { unread: (from: number, to: number) => this.window.unread(from, to) } : {}),
    });
    return machine.run(start);
  }

  /** Reports a stream's end: its scalar facts, or why it did not reach STOP. */
  private settle(result: StreamResult, index: number): StreamResult | undefined {
    if (result.complete) {
      if (result.value !== undefined) for (const fact of scalarFacts(result.value, index)) this.context.emit(fact);
      return result;
    }
    const failure = result.failure;
    if (this.windowed && failure?.code === "truncated") {
      this.context.inconclusive(
        `pickle stream ${index} runs past the first ${this.data.length} bytes (the in-memory limit); the rest was not read`,
      );
      return undefined;
    }
    // Imports seen before the break were emitted and are judged; the break itself is tensor data.
    if (this.storageMember) return undefined;
    this.context.inconclusive(
      `pickle stream ${index} could not be read to its end: ${failure?.code ?? "stopped"} at offset ${failure?.offset ?? result.end}: ${failure?.message ?? ""}`,
    );
    return undefined;
  }

  /** After a STOP: another pickle, or trailing data. */
  private async readFollowing(start: number, nextIndex: number): Promise<void> {
    let position = start;
    for (let index = nextIndex; position < this.data.length; index++) {
      // A frame's end may point into a skipped array: what a reader finds there is read first.
      if (this.window.unread(position, position + 1))
        await this.window.readSkipped(position, position + this.window.sizes.unreadSlack);
      const rest = this.data.subarray(position);
      if (!looksLikePickle(rest, false, rest.length, true)) {
        this.anomaly(
          "trailing-data",
          `${rest.length} bytes after the last STOP at offset ${position} are not a pickle`,
          position,
          index - 1,
        );
        // A loader reading on (pickle.load in a loop) would fail inside these bytes: whatever they
        // were cut from cannot be judged.
        if (startsTruncatedPickle(rest)) {
          this.context.inconclusive(`another pickle starts at offset ${position} but is cut short`);
        }
        return;
      }
      if (index >= MAX_STREAMS) {
        this.anomaly("limit-exceeded", `more than ${MAX_STREAMS} pickles in one file`, position, index);
        this.context.inconclusive(`more than ${MAX_STREAMS} pickles in one file; the rest were not read`);
        return;
      }
      const result = await this.stream(position, index);
      if (!result) return;
      await this.frameReading(result, index);
      position = result.end;
    }
    if (this.windowed) {
      this.context.inconclusive(
        `bytes after offset ${this.data.length} (past the in-memory limit) were not examined for further pickles`,
      );
    }
  }

  /**
   * Legacy torch.save: magic, protocol version, sys_info, the model, the storage keys, then for each
   * key an 8-byte element count and the raw storage bytes. That data is expected, not trailing.
   *
   * torch.load reads these with `pickle.load` one after another from one file object: a pickle whose
   * STOP sits inside a FRAME leaves that file at the STOP or at the frame's end, depending on the
   * frame's size and the file object (see {@link frameDifferential}). Each such place is read on from
   * as well; only the first reading declares tensors.
   */
  private async readTorchLegacy(start: number): Promise<void> {
    const work: LegacyPath[] = [{ position: start, index: 1, main: true }];
    for (let path = work.shift(); path; path = work.shift()) await this.legacyPath(path, work);
  }

  private async legacyPath(path: LegacyPath, work: LegacyPath[]): Promise<void> {
    let { position, model, keys } = path;
    for (let index = path.index; index <= 4; index++) {
      if (position >= this.data.length && !this.window.complete && this.inHead) {
        await this.window.grow(position + 1);
        this.data = this.window.head;
      }
      if (position >= this.data.length) {
        this.anomaly("truncated", `legacy torch file ends after ${index} of its 5 pickles`, position, index);
        this.context.inconclusive(`legacy torch file ends after ${index} of its 5 pickles`);
        return;
      }
      const result = await this.stream(position, index);
      if (!result) return;
      if (index === 3) model = result;
      if (index === 4) keys = result;
      if (result.frameEnd !== undefined && this.frameDifferential(result, index)) {
        work.push({ position: result.frameEnd, index: index + 1, main: false, model, keys });
      }
      position = result.end;
    }
    await this.legacyStorages(position, model, keys, path.main);
  }

  /** The storage records after the keys pickle, then whatever follows them. */
  private async legacyStorages(
    start: number,
    model: StreamResult | undefined,
    keys: StreamResult | undefined,
    declare: boolean,
  ): Promise<void> {
    const size = this.context.source.size;
    let position = start;
    const records = storageRecords(model?.persistentIds ?? []);
    const named = new Map<string, TorchStorage>();
    if (model?.value && declare) {
      for (const storage of torchStorages([{ prefix: "", value: model.value }], model.persistentIds)) {
        named.set(storage.record.key, storage);
      }
    }
    const keyList = keys?.value;
    if (
      keyList?.type !== "list" ||
      keyList.count !== keyList.items.length ||
      keyList.items.some((item) => item.type !== "str")
    ) {
      this.anomaly("malformed", "legacy torch storage key list is not a list of strings", position, 4);
      this.context.inconclusive("legacy torch storage key list is not a list of strings; storage data not checked");
      return;
    }
    for (const item of keyList.items) {
      const key = item.type === "str" ? item.text : "";
      this.context.checkDeadline();
      const record = records.get(key);
      if (position + 8 > size) {
        this.anomaly("truncated", `legacy torch storage ${key}: no size record at offset ${position}`, position, 4);
        this.context.inconclusive(`legacy torch storage data ends before storage ${key}`);
        return;
      }
      const numel = readUint64(await this.readSourceBytes(position, 8));
      if (!record || record.elementSize === undefined) {
        const why = record ? `has unknown storage type ${record.type}` : "is not referenced by the model pickle";
        this.anomaly("malformed", `legacy torch storage ${key} ${why}`, position, 4);
        this.context.inconclusive(`legacy torch storage ${key} ${why}; its size is unknown`);
        return;
      }
      if (record.numel !== undefined && record.numel !== numel) {
        this.anomaly(
          "malformed",
          `legacy torch storage ${key} holds ${numel} elements; the model pickle declares ${record.numel}`,
          position,
          4,
        );
      }
      const byteLength = numel * record.elementSize;
      const dataOffset = position + 8;
      if (!Number.isSafeInteger(byteLength) || byteLength > size - dataOffset) {
        this.anomaly(
          "truncated",
          `legacy torch storage ${key} needs ${byteLength} bytes at offset ${dataOffset}; ${size - dataOffset} remain`,
          position,
          4,
        );
        this.context.inconclusive(`legacy torch storage ${key} is cut short`);
        return;
      }
      if (declare) {
        // The size record is what torch.load reads: a state-dict shape counting other elements is not used.
        const storage = named.get(key) ?? { record, name: `storage/${key}`, shape: undefined, aliases: [] };
        const shape = storage.shape && storage.shape.reduce((product, extent) => product * extent, 1) === numel;
        this.declareStorage(
          { ...storage, shape: shape ? storage.shape : undefined },
          numel,
          { offset: dataOffset, length: byteLength },
          { offset: position, stream: 4 },
        );
      }
      position = dataOffset + byteLength;
    }
    if (position >= this.window.bytes.length) {
      // Past the window: torch.load never reads beyond the storages, so anything there is only trailing data.
      if (position < size) {
        this.anomaly("trailing-data", `${size - position} bytes after the last legacy torch storage`, position, 4);
      }
      return;
    }
    // Bytes after the storages, inside the window, are read and parsed from their start on.
    await this.window.readTail(position);
    this.useWholeWindow();
    await this.readFollowing(position, 5);
  }

  /**
   * A member of torch's oldest checkpoint, a tar (`_legacy_load`'s `legacy_load`), read as torch reads
   * it from one unbuffered file: `storages` is a count pickle, then per storage a `(key, location,
   * storage_type)` pickle followed by an 8-byte element count and the raw bytes
   * (`UntypedStorage._new_with_file`), then a `storage_views` pickle; `tensors` is a count pickle, then
   * per tensor a `(key, storage_id, tensor_type)` pickle followed by a 4-byte ndim, 4 unused bytes,
   * ndim sizes, ndim strides and an offset (8 bytes each). Every pickle is `pickle.load`ed, so every
   * one is judged; a member that does not read to its end this way is inconclusive.
   */
  private async readTorchTarMember(member: TarMember, first: StreamResult): Promise<void> {
    const work: TarPath[] = [{ position: first.end, index: 1, done: 0, main: true }];
    if (first.frameEnd !== undefined && this.frameDifferential(first, 0)) {
      work.push({ position: first.frameEnd, index: 1, done: 0, main: false });
    }
    for (let path = work.shift(); path; path = work.shift()) await this.tarPath(member, path, work);
  }

  private async tarPath(member: TarMember, path: TarPath, work: TarPath[]): Promise<void> {
    const { name, count } = member;
    const size = Math.min(this.context.source.size, this.data.length);
    const fail = (message: string, offset: number, index: number, code: AnomalyCode = "malformed") => {
      this.anomaly(code, `legacy torch tar member ${name}: ${message}`, offset, index);
      this.context.inconclusive(
        `legacy torch tar member ${name} does not read to its end as torch reads it: ${message}`,
      );
    };
    let { position, index, done } = path;
    for (; done < count; done++, index++) {
      this.context.checkDeadline();
      const what = `${name === "storages" ? "storage" : "tensor"} record ${done + 1} of ${count}`;
      if (position >= size) {
        const why = size < this.context.source.size ? "lies past the in-memory limit" : "is missing";
        return fail(`${what} at offset ${position} ${why}`, position, index, "truncated");
      }
      const result = await this.stream(position, index);
      if (!result) return;
      const value = result.value;
      // torch unpacks it into three names: what torch.save writes is a tuple, any 3-item sequence unpacks.
      if ((value?.type !== "tuple" && value?.type !== "list") || value.count !== 3 || value.items.length !== 3) {
        return fail(`${what} is not a 3-tuple`, position, index);
      }
      const ends = [result.end];
      if (result.frameEnd !== undefined && this.frameDifferential(result, index)) ends.push(result.frameEnd);
      for (const [which, end] of ends.entries()) {
        const main = path.main && which === 0;
        const after = await this.tarRecordData(member, value.items, end, index, main, what, fail);
        if (after === undefined) {
          if (which === 0) return;
          continue;
        }
        if (which === 0) position = after;
        else work.push({ position: after, index: index + 1, done: done + 1, main: false });
      }
    }
    if (name === "storages") {
      // storage_views: one more pickle.
      if (position >= size)
        return fail(`the storage_views pickle at offset ${position} is missing`, position, index, "truncated");
      const views = await this.stream(position, index);
      if (!views) return;
      await this.frameReading(views, index);
      position = views.end;
      index++;
    }
    // torch reads nothing more from the member: anything left is trailing data (pickles there are judged).
    if (position < this.data.length) await this.readFollowing(position, index);
  }

  /**
   * The raw bytes after one record pickle of a tar member, from `start`: where they end, or
   * undefined (after reporting) when they do not fit.
   */
  private async tarRecordData(
    member: TarMember,
    items: readonly Value[],
    start: number,
    index: number,
    declare: boolean,
    what: string,
    fail: (message: string, offset: number, index: number, code?: AnomalyCode) => void,
  ): Promise<number | undefined> {
    const size = this.context.source.size;
    if (member.name === "tensors") {
      if (start + 8 > size) return void fail(`${what} has no ndim at offset ${start}`, start, index, "truncated");
      const head = await this.readSourceBytes(start, 4);
      const ndim = new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true);
      const length = 8 + 16 * ndim + 8;
      if (ndim < 0 || length > size - start) {
        return void fail(`${what} declares ${ndim} dimensions at offset ${start}`, start, index, "truncated");
      }
      return start + length;
    }
    const [keyValue, , type] = items;
    const key = keyValue?.type === "str" ? keyValue.text : keyValue?.type === "int" ? String(keyValue.value) : "?";
    const typeName = type?.type === "global" && type.name !== null ? type.name : "unknown";
    const storage = storageClass(typeName);
    if (!storage)
      return void fail(`${what} (storage ${key}) has storage type ${typeName}: its size is unknown`, start, index);
    if (start + 8 > size) return void fail(`${what} has no size record at offset ${start}`, start, index, "truncated");
    const numel = readUint64(await this.readSourceBytes(start, 8));
    const byteLength = numel * storage.elementSize;
    if (!Number.isSafeInteger(byteLength) || byteLength > size - start - 8) {
      return void fail(`storage ${key} needs ${byteLength} bytes at offset ${start + 8}`, start, index, "truncated");
    }
    if (declare) {
      const record = { key, type: typeName, dtype: storage.dtype, elementSize: storage.elementSize, numel };
      this.declareStorage(
        { record, name: `storage/${key}`, shape: undefined, aliases: [] },
        numel,
        { offset: start + 8, length: byteLength },
        { offset: start, stream: index },
      );
    }
    return start + 8 + byteLength;
  }

  /** Bytes of the source: from the head when read there, else from the source (a window's middle may be unread). */
  private async readSourceBytes(position: number, length: number): Promise<Uint8Array> {
    const head = this.window.head;
    if (position + length <= head.length && !this.window.unread(position, position + length)) {
      return head.subarray(position, position + length);
    }
    return this.context.source.read(position, length);
  }

  private useWholeWindow(): void {
    // With skipped ranges the window spans the file but was read only as far as the head.
    this.data = this.window.hasHoles ? this.window.head : this.window.bytes;
    this.inHead = false;
  }

  private addChild(name: string, bytes: Uint8Array): void {
    if (this.children.length >= MAX_CHILDREN) {
      this.childrenDropped = true;
      return;
    }
    this.children.push({ name, bytes });
  }

  private anomaly(code: AnomalyCode, message: string, offset: number, stream: number): void {
    const fact: Fact = { kind: "anomaly", code, message, location: { offset, stream } };
    this.context.emit(fact);
  }
}

/** A member of torch's legacy tar checkpoint that holds records after a count pickle. */
interface TarMember {
  name: "storages" | "tensors";
  count: number;
}

/** One way through a tar member: where the next record pickle starts, and how many were read. */
interface TarPath {
  position: number;
  index: number;
  done: number;
  main: boolean;
}

/** The tar member `legacy_load` reads records from, when `member` names one and its first pickle is a count. */
function torchTarMember(member: string | undefined, value: Value | undefined): TarMember | undefined {
  if (member === undefined) return undefined;
  const name = member.slice(member.lastIndexOf("/") + 1);
  if (name !== "storages" && name !== "tensors") return undefined;
  // range(count): a bool counts as 0 or 1, a negative count as none.
  if (value?.type === "bool") return { name, count: value.value ? 1 : 0 };
  if (value?.type !== "int") return undefined;
  if (value.big !== undefined) return { name, count: value.big > 0n ? Number.MAX_SAFE_INTEGER : 0 };
  return { name, count: Number.isSafeInteger(value.value) ? Math.max(0, value.value) : Number.MAX_SAFE_INTEGER };
}

/** One way through a legacy torch file: where the next of its five pickles starts. */
interface LegacyPath {
  position: number;
  index: number;
  /** The first reading; the others (from frame ends) judge pickles but declare no tensors. */
  main: boolean;
  model?: StreamResult | undefined;
  keys?: StreamResult | undefined;
}

function readUint64(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
}

/** The parse of {@link pickleHandler}, imported on the first pickle. */
export async function parsePickle(context: ParseContext): Promise<void> {
  // A source over the in-memory limit is read through a window of that size: its pickles must fit
  // in it (a legacy torch file's storages may not, and need not).
  await readPickles(context, await SourceWindow.open(context.source, context.limits.maxInMemoryBytes));
}

/** Parses the pickles of a source read through `window`. */
export async function readPickles(context: ParseContext, window: SourceWindow): Promise<void> {
  await new PickleReader(window, context).read();
}

/** The child source a bytes value is scanned as: one that looks like a pickle (dropped past MAX_CHILDREN, inconclusive). */
function embeddedChildName(offset: number, bytes: Uint8Array): string | undefined {
  return looksLikeEmbeddedPickle(bytes) ? `bytes@${offset}` : undefined;
}

/** Hooks that hold back what a run reports until it is known to stand (format labels pass at once). */
function holdBack(hooks: MachineHooks, held: (() => void)[]): MachineHooks {
  return {
    emit: (fact) => void held.push(() => hooks.emit(fact)),
    embeddedBytes: (offset, bytes) => {
      held.push(() => hooks.embeddedBytes(offset, bytes));
      return embeddedChildName(offset, bytes);
    },
    embeddedText: (offset, bytes) => void held.push(() => hooks.embeddedText(offset, bytes)),
    importedModule: (module) => hooks.importedModule(module),
    sideFile: (fact) => void held.push(() => hooks.sideFile(fact)),
    checkDeadline: () => hooks.checkDeadline(),
  };
}
