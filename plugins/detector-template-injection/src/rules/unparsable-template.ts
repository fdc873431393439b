import { CWE_1336, defineRule, link } from "@modelaudit/core";

export default defineRule({
  name: "unparsable-template",
  meta: {
    description:
      "A chat template could not be analysed: it does not parse with the Jinja parser real chat templates are " +
      "written for, it is too large, or it nests too deeply. It may target another engine or be crafted to evade " +
      "review; a person must look at it.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation: "Review the template by hand, or replace it with the chat template of the base model.",
    references: [CWE_1336, link("https://github.com/huggingface/huggingface.js/tree/main/packages/jinja")],
    messages: {
      parseError: "The template does not parse with @huggingface/jinja: {{reason}}.",
      tooLarge: "The template is {{size}} characters long, above the {{limit}}-character bound; it was not parsed.",
      tooDeep: "The template nests expressions more than {{limit}} levels deep; it was analysed only to that depth.",
      analysisFailed: "The template parsed but could not be analysed to the end: {{reason}}.",
    },
  },
});
