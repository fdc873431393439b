import { defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "lineage",
  meta: {
    description:
      "A record, never a finding: a base model this model was derived from (`base_model` in its model card, `base_model` or `base_model_name_or_path` in a config), as a note on the passed check in the report. The note starts with the base model's address (`huggingface.co/org/name`), which the SBOM lists as the component's pedigree. Base models are also checked for look-alikes and against the trusted sources.",
    severity: "info",
    confidence: 1,
    recommended: true,
    remediation: "Nothing to fix; check that the base model is the one you expect and that its license carries over.",
    references: [OWASP_ML06],
    messages: {
      baseModel: "{{url}} is a base model of this model ({{source}})",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#lineage" },
  },
});
