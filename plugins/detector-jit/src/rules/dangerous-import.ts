import { CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { HF_REMOTE_CODE } from "../references.js";

export default defineRule({
  name: "dangerous-import",
  meta: {
    description:
      "Model code imports a module for processes, raw sockets, native code or similar (subprocess, socket, ctypes, " +
      "pty, ...) without a call the analysis can see: the call may be hidden. Modules ordinary modelling code uses " +
      "for real work (shutil, requests, pickle, ...) are an info note; `os` alone is not reported.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation: "Read the code that uses the module; remove the import if the model does not need it.",
    references: [CWE_829, OWASP_ML06, HF_REMOTE_CODE],
    messages: {
      riskyImport:
        "{{module}} is imported at {{position}} through {{via}} and no call into it is visible: model code rarely needs " +
        "processes, raw sockets or native code.",
      capabilityImport:
        "{{module}} is imported at {{position}} through {{via}}; no dangerous call into it is visible (noted so the " +
        "capability is on record).",
      bytecodeImport: "The {{language}} code names {{names}} ({{reason}}) without a visible call.",
    },
  },
});
