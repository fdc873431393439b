/** What a TensorFlow op does outside the tensors it is given. */
export type TensorflowSideEffect = "readsFiles" | "writesFiles" | "listsFiles" | "sendsDebugData" | "runsSystemCommand";

/**
 * TensorFlow ops that touch the file system or leave the process. The checkpoint ops every
 * SavedModel carries (Save, SaveV2, SaveSlices, Restore, RestoreV2, RestoreSlice,
 * MergeV2Checkpoints, ShardedFilename) and the vocabulary table initialisers that read the model's
 * own assets are deliberately absent: flagging them would flag every model.
 */
const FILE_OPS: ReadonlyMap<string, TensorflowSideEffect> = new Map([
  ["ReadFile", "readsFiles"],
  ["WriteFile", "writesFiles"],
  ["MatchingFiles", "listsFiles"],
  ["MatchingFilesDataset", "listsFiles"],
  ["ExperimentalMatchingFilesDataset", "listsFiles"],
  ["WholeFileReader", "readsFiles"],
  ["WholeFileReaderV2", "readsFiles"],
  ["TextLineReader", "readsFiles"],
  ["TextLineReaderV2", "readsFiles"],
  ["FixedLengthRecordReader", "readsFiles"],
  ["FixedLengthRecordReaderV2", "readsFiles"],
  ["TFRecordReader", "readsFiles"],
  ["TFRecordReaderV2", "readsFiles"],
  ["LMDBReader", "readsFiles"],
  ["LoadDataset", "readsFiles"],
  ["ExperimentalLMDBDataset", "readsFiles"],
  ["SaveDataset", "writesFiles"],
  ["SaveDatasetV2", "writesFiles"],
  ["DatasetToTFRecord", "writesFiles"],
  ["ExperimentalDatasetToTFRecord", "writesFiles"],
  ["WriteAudioSummary", "writesFiles"],
  ["CreateSummaryFileWriter", "writesFiles"],
  ["CreateSummaryDbWriter", "writesFiles"],
  ["DebugIdentity", "sendsDebugData"],
  ["DebugIdentityV2", "sendsDebugData"],
  ["DebugIdentityV3", "sendsDebugData"],
  ["DebugNanCount", "sendsDebugData"],
  ["DebugNumericSummary", "sendsDebugData"],
]);

/** Not TensorFlow ops at all: names a custom kernel library would use to run commands. */
const SYSTEM_OP = /shell|exec(ute)?|system|subprocess|popen|spawn|command/i;

export function tensorflowSideEffect(
  op: string,
  attributes: Readonly<Record<string, unknown>> = {},
): TensorflowSideEffect | undefined {
  const known = FILE_OPS.get(op);
  if (known) return known;
  // PrintV2 writes to stderr by default, to any file when output_stream says file://.
  if (
    op === "PrintV2" &&
    typeof attributes.output_stream === "string" &&
    attributes.output_stream.startsWith("file://")
  ) {
    return "writesFiles";
  }
  if (SYSTEM_OP.test(op)) return "runsSystemCommand";
  return undefined;
}
