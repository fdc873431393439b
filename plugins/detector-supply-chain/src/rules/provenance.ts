import { defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "provenance",
  meta: {
    description:
      "A record, never a finding: the repository the model comes from (a Hugging Face cache folder in its path, the remote of a git checkout), as a note on the passed check in the report. The note starts with the repository's address (`huggingface.co/org/name@revision`), which the SBOM uses as the component's supplier and package URL.",
    severity: "info",
    confidence: 1,
    recommended: true,
    remediation: "Nothing to fix; check that the source is the one you expect.",
    references: [OWASP_ML06],
    messages: {
      repository: "{{url}} is the model's source ({{source}})",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#provenance" },
  },
});
