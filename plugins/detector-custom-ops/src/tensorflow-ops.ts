/** What a TensorFlow op does outside the tensors it is given. */
export type TensorflowSideEffect =
  | "readsFiles"
  | "writesFiles"
  | "listsFiles"
  | "mapsFile"
  | "readsInputData"
  | "readsCheckpoint"
  | "writesSummaries"
  | "sendsDebugData"
  | "talksToNetwork"
  | "exchangesTensors"
  | "runsSystemCommand";

/** How bad each effect is in a model someone else will load or serve. */
export const SIDE_EFFECT_SEVERITY: Readonly<Record<TensorflowSideEffect, "critical" | "warning" | "info">> = {
  // Reading a file into a served graph leaks it to whoever calls the model, but needs a caller.
  readsFiles: "warning",
  listsFiles: "warning",
  mapsFile: "warning",
  sendsDebugData: "warning",
  // Input pipelines (tf.data sources, the tf.data service) are in every graph saved from training
  // (TF1 .meta checkpoints); in a served model they are odd, not harmful by themselves.
  readsInputData: "info",
  // Warm-starting reads an earlier checkpoint; summary writers write TensorBoard event files under a
  // log directory: both are in graphs saved from training.
  readsCheckpoint: "info",
  writesSummaries: "info",
  // Tensors go to the other workers of a cluster the runtime was configured with, not to an address in the
  // model; graphs saved from distributed training (MultiWorkerMirroredStrategy, TF1 collective all-reduce) carry them.
  exchangesTensors: "info",
  // Writing any file the process may write (shell profiles, site-packages) is code execution later.
  writesFiles: "critical",
  // A connection to an address the model chooses: exfiltration or remote control.
  talksToNetwork: "critical",
  runsSystemCommand: "critical",
};

/**
 * TensorFlow ops (names from TensorFlow's op registry, tensorflow/core/ops/*.cc) that touch the file
 * system or leave the process. The checkpoint ops every SavedModel carries (Save, SaveV2,
 * SaveSlices, Restore, RestoreV2, RestoreSlice, MergeV2Checkpoints, ShardedFilename) and the
 * vocabulary table initialisers (InitializeTableFromTextFile(V2)) that read the model's own assets
 * are deliberately absent: flagging them would flag every model. They are judged by the paths they
 * are given instead (PATH_EFFECTS below). So are in-memory dataset caches.
 */
const SIDE_EFFECTS: ReadonlyMap<string, TensorflowSideEffect> = new Map([
  // Single files and patterns.
  ["ReadFile", "readsFiles"],
  ["WriteFile", "writesFiles"],
  ["MatchingFiles", "listsFiles"],
  ["MatchingFilesDataset", "listsFiles"],
  ["ExperimentalMatchingFilesDataset", "listsFiles"],
  // Readers (queue-based input pipelines).
  ["WholeFileReader", "readsFiles"],
  ["WholeFileReaderV2", "readsFiles"],
  ["TextLineReader", "readsFiles"],
  ["TextLineReaderV2", "readsFiles"],
  ["FixedLengthRecordReader", "readsFiles"],
  ["FixedLengthRecordReaderV2", "readsFiles"],
  ["TFRecordReader", "readsFiles"],
  ["TFRecordReaderV2", "readsFiles"],
  ["LMDBReader", "readsFiles"],
  // tf.data sources that open files named by their inputs: the input pipeline of a training graph.
  ["TFRecordDataset", "readsInputData"],
  ["TFRecordDatasetV2", "readsInputData"],
  ["TextLineDataset", "readsInputData"],
  ["FixedLengthRecordDataset", "readsInputData"],
  ["FixedLengthRecordDatasetV2", "readsInputData"],
  ["CSVDataset", "readsInputData"],
  ["CSVDatasetV2", "readsInputData"],
  ["ExperimentalCSVDataset", "readsInputData"],
  ["SqlDataset", "readsInputData"],
  ["ExperimentalSqlDataset", "readsInputData"],
  ["LMDBDataset", "readsInputData"],
  ["ExperimentalLMDBDataset", "readsInputData"],
  ["LoadDataset", "readsInputData"],
  ["SnapshotDatasetReader", "readsInputData"],
  ["SnapshotNestedDatasetReader", "readsInputData"],
  // Warm-start readers outside the Saver's own Restore ops: they open the checkpoint their input names.
  ["LoadAndRemapMatrix", "readsCheckpoint"],
  ["GenerateVocabRemapping", "readsCheckpoint"],
  // tf.data sinks.
  ["SaveDataset", "writesFiles"],
  ["SaveDatasetV2", "writesFiles"],
  ["DatasetToTFRecord", "writesFiles"],
  ["ExperimentalDatasetToTFRecord", "writesFiles"],
  ["SnapshotDataset", "writesFiles"],
  ["SnapshotDatasetV2", "writesFiles"],
  ["DistributedSave", "writesFiles"],
  // Summary writers create event files (or a database) under a directory their input names.
  ["WriteAudioSummary", "writesSummaries"],
  ["CreateSummaryFileWriter", "writesSummaries"],
  ["CreateSummaryDbWriter", "writesSummaries"],
  // tfdbg: tensors to file:// or grpc:// debug URLs, or a dump root.
  ["DebugIdentity", "sendsDebugData"],
  ["DebugIdentityV2", "sendsDebugData"],
  ["DebugIdentityV3", "sendsDebugData"],
  ["DebugNanCount", "sendsDebugData"],
  ["DebugNumericSummary", "sendsDebugData"],
  ["DebugNumericSummaryV2", "sendsDebugData"],
  // tf.distribute.experimental.rpc and the older contrib RPC ops: calls to or from an address.
  ["RpcServer", "talksToNetwork"],
  ["RpcServerStart", "talksToNetwork"],
  ["RpcServerRegister", "talksToNetwork"],
  ["RpcClient", "talksToNetwork"],
  ["RpcCall", "talksToNetwork"],
  ["RpcCheckStatus", "talksToNetwork"],
  ["RpcGetValue", "talksToNetwork"],
  ["Rpc", "talksToNetwork"],
  ["TryRpc", "talksToNetwork"],
  // tf.data service: training input read from (or registered with) a dispatcher.
  ["DataServiceDataset", "readsInputData"],
  ["DataServiceDatasetV2", "readsInputData"],
  ["DataServiceDatasetV3", "readsInputData"],
  ["DataServiceDatasetV4", "readsInputData"],
  ["RegisterDataset", "readsInputData"],
  ["RegisterDatasetV2", "readsInputData"],
  // Cross-device and cross-host transfers and collectives.
  ["_Send", "exchangesTensors"],
  ["_Recv", "exchangesTensors"],
  ["_HostSend", "exchangesTensors"],
  ["_HostRecv", "exchangesTensors"],
  ["CollectiveGather", "exchangesTensors"],
  ["CollectiveGatherV2", "exchangesTensors"],
  ["CollectiveReduce", "exchangesTensors"],
  ["CollectiveReduceV2", "exchangesTensors"],
  ["CollectiveReduceV3", "exchangesTensors"],
  ["CollectiveReduceScatterV2", "exchangesTensors"],
  ["CollectiveBcastSend", "exchangesTensors"],
  ["CollectiveBcastRecv", "exchangesTensors"],
  ["CollectiveBcastSendV2", "exchangesTensors"],
  ["CollectiveBcastRecvV2", "exchangesTensors"],
  ["CollectiveAllToAllV2", "exchangesTensors"],
  ["CollectiveAllToAllV3", "exchangesTensors"],
  ["CollectiveInitializeCommunicator", "exchangesTensors"],
]);

/** The prefix of memory regions inside a memmapped model package. */
const MEMMAPPED_PACKAGE = "memmapped_package://";

/** DecodeProto/EncodeProto read a FileDescriptorSet from this attribute unless it is the built-in pool. */
const DESCRIPTOR_OPS = new Set(["DecodeProto", "DecodeProtoV2", "EncodeProto"]);

/** Not TensorFlow ops at all: names a custom kernel library would use to run commands. */
const SYSTEM_OP = /shell|exec(ute)?|system|subprocess|popen|spawn|command/i;

export function tensorflowSideEffect(
  op: string,
  attributes: Readonly<Record<string, unknown>> = {},
): TensorflowSideEffect | undefined {
  const known = SIDE_EFFECTS.get(op);
  if (known) return known;
  // PrintV2 writes to stderr by default, to any file when output_stream says file://.
  if (
    op === "PrintV2" &&
    typeof attributes.output_stream === "string" &&
    attributes.output_stream.startsWith("file://")
  ) {
    return "writesFiles";
  }
  // ImmutableConst maps the file its memory_region_name names; TensorFlow's memmapped graph format
  // (convert_graphdef_memmapped_format) names regions of the model's own package instead.
  if (op === "ImmutableConst") {
    const region = attributes.memory_region_name;
    return typeof region === "string" && region.startsWith(MEMMAPPED_PACKAGE) ? undefined : "mapsFile";
  }
  // descriptor_source "local://" (the default) is the linked-in pool; "bytes://..." is inline; anything else is a path.
  if (DESCRIPTOR_OPS.has(op)) {
    const source = attributes.descriptor_source;
    if (typeof source === "string" && source !== "" && source !== "local://" && !source.startsWith("bytes://")) {
      return "readsFiles";
    }
  }
  if (SYSTEM_OP.test(op)) return "runsSystemCommand";
  return undefined;
}

/** What an op does to the file or directory a literal path argument of it names. */
export type TensorflowPathEffect =
  | "writesFileOutside"
  | "mergesCheckpointsOutside"
  | "readsFileOutside"
  | "restoresCheckpointOutside"
  | "listsFilesOutside";

/**
 * Ops whose path arguments the format handlers report (as reference facts keyed by the op) and what
 * they do with them. A SavedModel feeds these ops the saver's filename at run time or names its own
 * assets; a literal path leaving the model's directory is a file written, deleted or read wherever
 * the loader runs, at load time when the op sits in the init op.
 */
const PATH_EFFECTS: ReadonlyMap<string, TensorflowPathEffect> = new Map([
  ["WriteFile", "writesFileOutside"],
  // Save writes exactly `filename`; SaveV2 and SaveSlices `prefix.index`/`prefix.data-*` or the file itself.
  ["Save", "writesFileOutside"],
  ["SaveSlices", "writesFileOutside"],
  ["SaveV2", "writesFileOutside"],
  // Merges the checkpoints under checkpoint_prefixes into destination_prefix and deletes the merged
  // files; with delete_old_dirs their directories too.
  ["MergeV2Checkpoints", "mergesCheckpointsOutside"],
  // Any file's contents, as a tensor or as the keys and values of a lookup table a signature can export.
  ["ReadFile", "readsFileOutside"],
  ["InitializeTableFromTextFile", "readsFileOutside"],
  ["InitializeTableFromTextFileV2", "readsFileOutside"],
  // Variables restored from a checkpoint outside the model (tf.train.init_from_checkpoint writes these too).
  ["Restore", "restoresCheckpointOutside"],
  ["RestoreSlice", "restoresCheckpointOutside"],
  ["RestoreV2", "restoresCheckpointOutside"],
  ["MatchingFiles", "listsFilesOutside"],
]);

/** How bad a literal path outside the model is, by what the op does with it. */
export const PATH_EFFECT_SEVERITY: Readonly<Record<TensorflowPathEffect, "critical" | "warning" | "info">> = {
  writesFileOutside: "critical",
  mergesCheckpointsOutside: "critical",
  readsFileOutside: "critical",
  // A note, like the warm-start readers: tf.train.init_from_checkpoint leaves RestoreV2 ops on the
  // absolute path of the pretrained checkpoint in graphs exported after fine-tuning (BERT's).
  restoresCheckpointOutside: "info",
  // Names of files, not their contents; Dataset.list_files in training graphs names the training data.
  listsFilesOutside: "info",
};

/**
 * The effect of the op a path reference is keyed by, and whether the op itself is already reported
 * by tensorflowSideEffect (then only the path is).
 */
export function tensorflowPathEffect(
  op: string | undefined,
): { effect: TensorflowPathEffect; reportedAsOp: boolean } | undefined {
  const effect = op === undefined ? undefined : PATH_EFFECTS.get(op);
  if (!effect || op === undefined) return undefined;
  return { effect, reportedAsOp: SIDE_EFFECTS.has(op) };
}
