import { CWE_22, CWE_61, cve, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "external-data-traversal",
  meta: {
    description:
      "A path the model points to (ONNX external data, an asset, a sharded index's shard) leaves the model's directory, " +
      "by its name or through a symbolic link beside the model: loading the model " +
      "reads, or with some runtimes writes, a file anywhere the loader can reach.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation: "Do not load the model; external data paths must be relative names inside the model's directory.",
    references: [CWE_22, CWE_61, OWASP_ML06, cve("CVE-2024-27318", "ONNX external data path traversal")],
    messages: {
      escapes: "{{key}} points outside the model's directory: {{target}} ({{reason}})",
      escapesThroughLink:
        "{{key}} points outside the model's directory: {{target}} goes through the symbolic link {{link}} → {{linkTarget}}",
    },
    docs: { url: `${DOCS}#external-data-traversal` },
  },
});
