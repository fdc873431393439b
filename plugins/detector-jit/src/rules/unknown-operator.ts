import { CWE_114, CWE_829, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { TORCH_LOAD_LIBRARY } from "../references.js";

export default defineRule({
  name: "unknown-operator",
  meta: {
    description:
      "TorchScript code calls an operator that no standard PyTorch build registers: a name that is not an operator " +
      "of its namespace (`torch.ops.aten.system`) or a namespace outside the standard ones. The names are checked " +
      "against the operator registry of a real torch build shipped with the scanner; such a call only resolves once " +
      "a native library loaded beside the model registers it, and a fake operator in a standard namespace hides that. " +
      "An unknown name in the printer's own spelling (`torch.<op>`) is a warning: newer torch adds ATen operators.",
    severity: "critical",
    confidence: 0.85,
    recommended: true,
    remediation:
      "Do not load this model: find out which native library registers the operator and review it, or use a model " +
      "built from standard operators only.",
    references: [
      CWE_829,
      CWE_114,
      OWASP_ML06,
      TORCH_LOAD_LIBRARY,
      link("https://pytorch.org/tutorials/advanced/torch_script_custom_ops.html"),
    ],
    messages: {
      unknownOperator:
        "{{call}} at {{position}} (`{{written}}`) names {{namespace}}::{{operator}}, which is no operator of the " +
        "{{namespace}} namespace in torch {{torchVersion}}: only a native library loaded with the model can register it.",
      unknownBuiltin:
        "{{call}} at {{position}} (`{{written}}`) is the TorchScript spelling of aten::{{operator}}, which is no ATen " +
        "operator in torch {{torchVersion}}: a native library loaded with the model registers it, or the model was " +
        "scripted by a newer torch that added it.",
      unknownNamespace:
        "{{call}} at {{position}} (`{{written}}`) calls {{operator}} from the operator namespace {{namespace}}, which " +
        "no standard PyTorch build registers: a native extension library must be loaded to run it.",
    },
  },
});
