import { CWE_494, CWE_829, defineRule, link, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "lookalike-repository",
  meta: {
    description:
      "A repository the model names as its source, its base or its saved name has a namespace that reads like a popular or trusted one but is not it (`meta-1lama`, `0penai`, `gooogle`, Cyrillic letters in `meta-llama`): typosquatting, where an attacker publishes a look-alike repository and waits for someone to mistype or misread it. Checked against a built-in list of popular namespaces, options.provenance.protect and the namespaces of options.provenance.trusted.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Compare the namespace letter by letter with the organisation you meant; download the model again from the real repository and scan it, and add your own namespaces to options.provenance.protect.",
    references: [
      OWASP_ML06,
      CWE_494,
      CWE_829,
      link("https://unicode.org/reports/tr39/#Confusable_Detection", "Unicode TR39: confusable detection"),
    ],
    messages: {
      lookalike: "{{repository}} ({{source}}) looks like the namespace {{target}} but is not it: {{how}}",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#lookalike-repository",
    },
  },
});
