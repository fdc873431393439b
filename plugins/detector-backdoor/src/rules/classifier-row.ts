import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML10 } from "@modelaudit/core";

export default defineRule({
  name: "classifier-row",
  meta: {
    description:
      "A classifier head (a 2-D weight named fc, head, classifier, lm_head, output..., or the last 2-D weight when none is named so) with one class row that differs from the others: in scale (norm a robust outlier, larger, or smaller by half) or in sign pattern (a share of positive weights far from the other classes'). A target class wired to win on a trigger shows this way.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Compare the named class rows with the publisher's head; retrain or reinitialise the head if they differ.",
    references: [OWASP_ML10, ATLAS_AML_T0018, CWE_506],
    messages: {
      larger:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): classifier row(s) {{rows}} of {{classes}} classes larger than the rest: norm {{norm}} is {{ratio}}× the median {{median}}, robust z {{z}} > {{threshold}}",
      smaller:
        "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): classifier row(s) {{rows}} of {{classes}} classes smaller than the rest: norm {{norm}} is 1/{{ratio}} of the median {{median}}, robust z {{z}} > {{threshold}}",
      sign: "Tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}): classifier row(s) {{rows}} of {{classes}} classes with an odd sign pattern: {{positive}} positive weights where the classes have {{typical}}, robust z {{z}} > {{threshold}}",
      more: "{{count}} more odd classifier heads are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-backdoor#classifier-row" },
  },
});
