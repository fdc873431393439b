import { CWE_494, CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "untrusted-source",
  meta: {
    description:
      "options.provenance.trusted lists the sources the user accepts models from, and the repository this model names as its own (a Hugging Face cache folder, a git remote) or as its base model (`base_model`) matches none of them. Only checked when the list is set; `_name_or_path` is not checked (it is often a local directory).",
    severity: "warning",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Get the model from a trusted source, or review this source and add it to options.provenance.trusted (`org` or `org/name`, `*` allowed).",
    references: [OWASP_ML06, CWE_494, CWE_829],
    messages: {
      untrusted: "{{repository}} ({{source}}) is not a trusted source (options.provenance.trusted)",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#untrusted-source",
    },
  },
});
