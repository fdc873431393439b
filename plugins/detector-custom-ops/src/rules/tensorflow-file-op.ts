import { defineRule } from "@modelaudit/core";
import { CWE_73, DOCS, OWASP_ML06 } from "../references.js";

export default defineRule({
  meta: {
    description:
      "A TensorFlow op that reads, writes, lists or maps files, talks to a network address (RPC, tf.data service), " +
      "exchanges tensors with other hosts, or sends tensors to a debug URL, inside a model graph. Writing files and " +
      "network calls are critical, cross-host transfers and collectives a note, the rest a warning. The checkpoint Save/Restore ops every SavedModel has are not reported.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Check which paths the op reaches (its inputs and attributes); a served model has no reason to read or write files outside its assets.",
    references: [CWE_73, OWASP_ML06, "https://github.com/tensorflow/tensorflow/blob/master/SECURITY.md"],
    messages: {
      readsFiles: "TensorFlow op {{op}} at {{path}} reads files",
      writesFiles: "TensorFlow op {{op}} at {{path}} writes files",
      listsFiles: "TensorFlow op {{op}} at {{path}} lists files matching a pattern",
      mapsFile: "TensorFlow op {{op}} at {{path}} maps a file named by the model into memory",
      talksToNetwork: "TensorFlow op {{op}} at {{path}} makes or serves network calls (RPC, tf.data service)",
      exchangesTensors: "TensorFlow op {{op}} at {{path}} sends or receives tensors across devices or hosts",
      sendsDebugData: "TensorFlow op {{op}} at {{path}} sends tensors to debug URLs (file or gRPC)",
      runsSystemCommand: "Op {{op}} at {{path}} is named like a command runner: it comes from a custom kernel library",
    },
    docs: { url: `${DOCS}#tensorflow-file-op` },
  },
});
