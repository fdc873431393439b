import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "dominated-row",
  meta: {
    description:
      "A row or filter dominated by a single large value: one weight carries at least half of the row's squared norm and lies beyond 12 robust standard deviations (twice the threshold) of the tensor's values. Replaces detector-weights' 12σ weight-outliers note with the row and index named.",
    severity: "warning",
    confidence: 0.5,
    recommended: true,
    remediation:
      "Look at the named weight in the publisher's original: one input wired to an output with a weight far beyond all others is a hard-coded shortcut, as a trigger input is.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      dominated:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} {{unit}}(s) dominated by one value (rows {{rows}}): value {{value}} at index {{index}} carries {{share}} of its row's squared norm, robust z {{z}} ≥ {{threshold}} (σ estimate {{spread}})",
      more: "{{count}} more layers with dominated rows are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#dominated-row" },
  },
});
