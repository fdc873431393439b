import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "trigger-patch",
  meta: {
    description:
      "A trigger-shaped pattern: in a first convolution (1 to 4 input channels) or an embedding table, a filter or row whose largest values form a plateau of 4 or more near-identical weights (within 2%, same sign) lying beyond the threshold in robust standard deviations of the tensor's values: the stamp of a patch trigger written into the weights.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Compare the named filter or embedding rows with the publisher's model: a block of identical large weights is written, not learnt.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      filter:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} filter(s) hold a trigger-shaped patch (filters {{rows}}): {{size}} near-identical weights of {{value}}, robust z {{z}} ≥ {{threshold}} (σ estimate {{spread}})",
      row: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): {{count}} row(s) hold a trigger-shaped plateau (rows {{rows}}): {{size}} near-identical weights of {{value}}, robust z {{z}} ≥ {{threshold}} (σ estimate {{spread}})",
      more: "{{count}} more layers with trigger-shaped patches are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#trigger-patch" },
  },
});
