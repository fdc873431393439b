import { defineRule, link } from "@modelaudit/core";

export default defineRule({
  name: "missing-license",
  meta: {
    description:
      "A model folder declares no license: its model card (README.md with front matter, or beside configs or weights) has no `license` (or says `unknown`) and no LICENSE or COPYING file is beside it. Without a license nobody may use, copy or ship the model. Judged once per model folder, on its card; files without a model card (a single pickle, a training checkpoint) are not judged. A card that names its base model (`base_model`, as PEFT's generated card of an adapter does) and no license of its own is an info note to check the base model's license. Turn it off with options.licenses.requireLicense: false.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation:
      "Ask the publisher for the license and add it to the model card (`license:` in the front matter) or as a LICENSE file; until then do not ship the model.",
    references: [
      link("https://huggingface.co/docs/hub/model-cards#model-card-metadata", "Hugging Face: model card metadata"),
    ],
    messages: {
      noLicense: "the model card of {{folder}} declares no license, and no LICENSE file is beside it",
      unknownLicense: "the model card of {{folder}} says its license is unknown, and no LICENSE file is beside it",
      baseModelLicense:
        "the model card of {{folder}} declares no license of its own and names its base model {{base}}: that model's license applies; check it",
    },
    docs: {
      url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-supply-chain#missing-license",
    },
  },
});
