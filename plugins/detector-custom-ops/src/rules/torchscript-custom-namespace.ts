import { CWE_829, defineRule, link, OWASP_ML06 } from "@modelaudit/core";
import { DOCS } from "../references.js";

export default defineRule({
  name: "torchscript-custom-namespace",
  meta: {
    description:
      "TorchScript code uses an operator or class namespace that libtorch does not provide: loading the model needs " +
      "an extension library (native code) registered with torch.ops.load_library.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Find out which extension library provides the namespace and review it before loading it.",
    references: [CWE_829, OWASP_ML06, link("https://pytorch.org/tutorials/advanced/torch_script_custom_ops.html")],
    messages: {
      customNamespace: "TorchScript uses {{domain}}::{{op}} at {{path}}, from an extension library outside libtorch",
    },
    docs: { url: `${DOCS}#torchscript-custom-namespace` },
  },
});
