import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "low-bit-periodic",
  meta: {
    description:
      "The least significant bits of a tensor's values repeat with a fixed period while the values themselves do not: the trace of a watermark or a repeated payload written into the low bits. Natural LSBs are independent from value to value. Reported with the period, the agreement at that lag, what chance gives, and the p-value (Bonferroni-corrected over the lags tried).",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Find out whether the publisher watermarks its weights; an unexplained periodic pattern in the low bits means the weights were written by something other than training.",
    references: [CWE_506, OWASP_ML06, ATLAS_AML_T0018],
    messages: {
      periodic:
        "The lowest bits of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) repeat every {{lag}} values: {{agreement}} of them equal the bit {{lag}} values on, where chance gives {{expected}}, while {{equalValues}} of the values repeat (p = {{pValue}}; first {{elements}} values)",
      more: "{{count}} more tensors with periodic low bits are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-stego#low-bit-periodic" },
  },
});
