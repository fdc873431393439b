import { defineRule, link } from "@modelaudit/core";

export default defineRule({
  name: "license-policy",
  meta: {
    description:
      "A declared license breaks the policy in options.licenses: it is denied (critical), needs review, is not on the allowed list, or forbids commercial use (non-commercial and research-only licenses such as CC-BY-NC-4.0) when options.licenses.use is `commercial`. Licenses are compared by SPDX id, whatever spelling the card or config uses.",
    severity: "warning",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not use the model until its license has been reviewed; choose a model under an allowed license, or change options.licenses after a legal review.",
    references: [link("https://spdx.org/licenses/", "SPDX License List")],
    messages: {
      denied: "the license {{license}} ({{spdx}}) is denied by options.licenses.denied",
      review: "the license {{license}} ({{spdx}}) needs review before use (options.licenses.review)",
      notAllowed: "the license {{license}} ({{spdx}}, {{category}}) is not in options.licenses.allowed",
      nonCommercial:
        "the license {{license}} ({{spdx}}) is {{category}}, but options.licenses.use says the use is commercial",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#license-policy",
    },
  },
});
