import { CWE_73, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "tensorflow-file-op",
  meta: {
    description:
      "A TensorFlow op that reads, writes, lists or maps files, makes or serves RPC calls, reads input data, " +
      "exchanges tensors with other hosts, or sends tensors to a debug URL, inside a model graph. Writing files and " +
      "RPC calls are critical; input pipelines (tf.data sources and service), warm-start checkpoint readers, summary writers, cross-host transfers and collectives a note (graphs saved from training have them); the rest a warning. The checkpoint ops every SavedModel has (Save, SaveV2, SaveSlices, MergeV2Checkpoints, Restore, " +
      "RestoreV2, RestoreSlice) and vocabulary table initialisers (InitializeTableFromTextFile) are reported only when a " +
      "literal path they are given leaves the model's directory: writing or merging (deleting) checkpoints there and " +
      "reading a file into a table are critical, restoring variables from a checkpoint or listing files there a note.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Check which paths the op reaches (its inputs and attributes); a served model has no reason to read or write files outside its assets.",
    references: [CWE_73, OWASP_ML06, link("https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md")],
    messages: {
      readsFiles: "TensorFlow op {{op}} at {{path}} reads files",
      writesFiles: "TensorFlow op {{op}} at {{path}} writes files",
      listsFiles: "TensorFlow op {{op}} at {{path}} lists files matching a pattern",
      mapsFile: "TensorFlow op {{op}} at {{path}} maps a file named by the model into memory",
      readsInputData:
        "TensorFlow op {{op}} at {{path}} reads input data (files or the tf.data service): normal in a training graph, odd in a served model",
      readsCheckpoint: "TensorFlow op {{op}} at {{path}} reads another checkpoint (warm start)",
      writesSummaries: "TensorFlow op {{op}} at {{path}} writes TensorBoard summaries under a log directory",
      talksToNetwork: "TensorFlow op {{op}} at {{path}} makes or serves remote procedure calls",
      exchangesTensors: "TensorFlow op {{op}} at {{path}} sends or receives tensors across devices or hosts",
      sendsDebugData: "TensorFlow op {{op}} at {{path}} sends tensors to debug URLs (file or gRPC)",
      runsSystemCommand: "Op {{op}} at {{path}} is named like a command runner: it comes from a custom kernel library",
      writesFileOutside:
        "TensorFlow op {{op}} at {{path}} writes {{target}}, outside the model's directory ({{reason}}), when it runs",
      mergesCheckpointsOutside:
        "TensorFlow op {{op}} at {{path}} merges checkpoints at {{target}}, outside the model's directory ({{reason}}), deleting the merged files (with delete_old_dirs their directories)",
      readsFileOutside:
        "TensorFlow op {{op}} at {{path}} reads {{target}}, outside the model's directory ({{reason}}), into the graph",
      restoresCheckpointOutside:
        "TensorFlow op {{op}} at {{path}} restores variables from {{target}}, outside the model's directory ({{reason}})",
      listsFilesOutside:
        "TensorFlow op {{op}} at {{path}} lists files matching {{target}}, outside the model's directory ({{reason}})",
    },
    docs: { url: `${DOCS}#tensorflow-file-op` },
  },
});
