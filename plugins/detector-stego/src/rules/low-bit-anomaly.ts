import { ATLAS_AML_T0018, CWE_506, defineRule, OWASP_ML06 } from "@modelaudit/core";

export default defineRule({
  name: "low-bit-anomaly",
  meta: {
    description:
      "The low k bits of a tensor's values (k = 1, 2, 4 or 8) do not follow what its own high bits predict, as they would if replaced by an encrypted or compressed payload with no header. Slope test (16-bit floats, 8/16-bit integers): where the value density slopes, natural values sit toward the denser side of each bin of equal high bits; replaced bits sit at random. Precision test (32/64-bit floats): values whose bits just above the low k are zero (converted from bf16/f16, coarse) have nonzero low bits far more often than random mantissas allow. Reported with the statistic, its natural expectation and its p-value.",
    severity: "warning",
    confidence: 0.6,
    recommended: true,
    remediation:
      "Compare the tensor with the publisher's original; a statistical anomaly alone is not proof (a tensor edited by an unusual tool can show one), but low bits that no longer match the values around them are how headerless payloads hide.",
    references: [CWE_506, OWASP_ML06, ATLAS_AML_T0018],
    messages: {
      slope:
        "The low {{bits}} bit(s) of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) look replaced: the value density predicts a slope signal of z = {{expected}} within bins of equal high bits, the values show z = {{statistic}} (p = {{pValue}} under natural weights; {{elements}} values; low-bit entropy {{lowEntropy}} vs {{nextEntropy}} bits above)",
      precision:
        "The low {{bits}} bit(s) of tensor {{tensor}} ({{dtype}}, shape {{shape}}, data at offset {{offset}}) look replaced: {{elements}} values have zero bits just above them (coarse precision), yet {{statistic}} of those have nonzero low bits where random mantissas give {{expected}} (p = {{pValue}}; low-bit entropy {{lowEntropy}} vs {{nextEntropy}} bits above)",
      more: "{{count}} more tensors with anomalous low bits are not listed",
    },
    docs: { url: "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-stego#low-bit-anomaly" },
  },
});
