import { defineRule, link } from "@modelaudit/core";

export default defineRule({
  name: "license",
  meta: {
    description:
      "A record, never a finding: a license the model declares, from its model card's front matter (`license`, or `license_name` when the license is `other`), a LICENSE or COPYING file, or a license field in a config or model metadata (`general.license` in GGUF), as a note on the passed check in the report. The note starts with the SPDX id (`LicenseRef-…` for licenses SPDX does not list, such as OpenRAIL, Llama or Gemma), which the SBOM uses.",
    severity: "info",
    confidence: 0.9,
    recommended: true,
    remediation: "Nothing to fix; check that the license permits your use, or set a policy in options.licenses.",
    references: [
      link("https://spdx.org/licenses/", "SPDX License List"),
      link("https://huggingface.co/docs/hub/repositories-licenses", "Hugging Face: licenses"),
    ],
    messages: {
      card: "{{spdx}} is declared by the model card as {{license}} ({{category}})",
      file: "{{spdx}} is the license in the file {{license}} ({{category}})",
      metadata: "{{spdx}} is declared by a license field as {{license}} ({{category}})",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#license" },
  },
});
