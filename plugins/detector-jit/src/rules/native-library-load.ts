import { CWE_114, CWE_829, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { TORCH_LOAD_LIBRARY } from "../references.js";

export default defineRule({
  name: "native-library-load",
  meta: {
    description:
      "Model code loads a native library (torch.ops.load_library, torch.classes.load_library, ctypes.CDLL, " +
      "cdll.LoadLibrary, cffi dlopen, os.add_dll_directory, cpp_extension.load): native code runs with the rights " +
      "of the process that loads the model and nothing in the model format constrains it.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load this model unless you trust and have reviewed the native library it loads; prefer a model that " +
      "uses only standard operators.",
    references: [CWE_114, CWE_829, OWASP_ML06, TORCH_LOAD_LIBRARY],
    messages: {
      loadLibrary:
        "{{call}} loads the native library {{library}} at {{position}} (`{{written}}`){{via}}; native code runs with " +
        "the loader's rights.",
      functionReference:
        "{{call}} is handed over as a value at {{position}} (`{{written}}`): whatever receives it can call it.",
      bytecodeNames: "The {{language}} code uses {{names}}: it {{reason}}.",
    },
  },
});
