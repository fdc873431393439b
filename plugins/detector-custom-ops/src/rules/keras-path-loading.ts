import { CWE_73, CWE_829, cve, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "keras-path-loading",
  meta: {
    description:
      "A Keras model whose layers, when rebuilt from the config, load other artifacts: TFSMLayer and tensorflow_hub " +
      "KerasLayer load and run a SavedModel that is not part of the file (warning); a vocabulary, merges or " +
      "SentencePiece proto named by URL is fetched at load time (critical; a warning for tfhub.dev and Kaggle); one " +
      "named by a relative path is read from the working directory (info). Absolute and climbing paths are reported by " +
      "external-data-traversal.",
    severity: "warning",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Load only with Keras safe mode on (Keras 3 refuses these layers there), or rebuild the model with the " +
      "vocabulary inline and the external model converted and scanned in its own right.",
    references: [
      CWE_829,
      CWE_73,
      OWASP_ML06,
      cve("CVE-2025-12058", "StringLookup vocabulary path: local file read and SSRF at load"),
      cve("CVE-2026-1462", "TFSMLayer loads an external SavedModel at load"),
      link("https://github.com/keras-team/keras/pull/22035", "TFSMLayer refused in safe mode"),
    ],
    messages: {
      loadsModel:
        "Keras layer {{op}} at {{path}} loads and runs another model when this one is loaded; that model is not in this file and was not scanned",
      fetchesUrl: "{{key}} at {{path}} makes the Keras loader fetch {{target}} when the model is loaded",
      readsFile:
        "{{key}} at {{path}} makes the Keras loader read {{target}} (relative to the working directory) when the model is loaded",
    },
    docs: { url: `${DOCS}#keras-path-loading` },
  },
});
