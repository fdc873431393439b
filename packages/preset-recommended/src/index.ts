import { definePreset } from "@modelaudit/core";
import archiveSafety from "@modelaudit/detector-archive-safety";
import binary from "@modelaudit/detector-binary";
import codeExecution from "@modelaudit/detector-code-execution";
import remoteCode from "@modelaudit/detector-remote-code";
import templateInjection from "@modelaudit/detector-template-injection";
import archive from "@modelaudit/format-archive";
import gguf from "@modelaudit/format-gguf";
import huggingface from "@modelaudit/format-huggingface";
import pickle from "@modelaudit/format-pickle";
import safetensors from "@modelaudit/format-safetensors";
import xgboost from "@modelaudit/format-xgboost";

/** Every first-party plugin. Rules run at their own recommended settings (`meta.recommended`). */
export default definePreset({
  meta: { name: "@modelaudit/preset-recommended", version: __PACKAGE_VERSION__ },
  plugins: [
    archive,
    pickle,
    safetensors,
    gguf,
    huggingface,
    xgboost,
    codeExecution,
    templateInjection,
    remoteCode,
    archiveSafety,
    binary,
  ],
});
